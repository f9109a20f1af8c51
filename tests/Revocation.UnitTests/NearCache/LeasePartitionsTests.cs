using Revocation.Abstractions;

namespace Revocation.UnitTests.NearCache;

/// <summary>Partition keys: one partition keeps the old key, others name their count; a node's partition is stable and spread.</summary>
public sealed class LeasePartitionsTests
{
    [Fact]
    public void OnePartition_IsTheLeaseGrainOfOld()
    {
        Assert.Equal(INodeLeaseGrain.Key, LeasePartitions.Key(0, 1));
        Assert.Equal([INodeLeaseGrain.Key], LeasePartitions.Keys(1));
    }

    [Fact]
    public void SeveralPartitions_NameTheirCount_AndReadBack()
    {
        Assert.Equal(["nodes/0/3", "nodes/1/3", "nodes/2/3"], LeasePartitions.Keys(3));
        foreach (var count in new[] { 1, 2, 7, LeasePartitions.MaxCount })
        {
            for (var partition = 0; partition < count; partition++)
            {
                Assert.True(LeasePartitions.TryParse(LeasePartitions.Key(partition, count), out var p, out var c));
                Assert.Equal((partition, count), (p, c));
            }
        }
    }

    [Theory]
    [InlineData("nodes/3/3")]
    [InlineData("nodes/0/0")]
    [InlineData("nodes/0/65")]
    [InlineData("nodes/-1/3")]
    [InlineData("nodes/01/3")]
    [InlineData("nodes/0/1")]
    [InlineData("nodes/0")]
    [InlineData("other/0/3")]
    [InlineData("")]
    public void KeysOfNoPartition_AreNotRead(string key) => Assert.False(LeasePartitions.TryParse(key, out _, out _));

    [Fact]
    public void ANodesPartition_IsTheSameEveryTime_AndNodesSpreadOverEveryPartition()
    {
        var node = Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff");
        Assert.Equal(LeasePartitions.Of(node, 8), LeasePartitions.Of(Guid.Parse(node.ToString()), 8));

        var counts = new int[8];
        foreach (var _ in Enumerable.Range(0, 8000))
        {
            counts[LeasePartitions.Of(Guid.NewGuid(), 8)]++;
        }

        Assert.All(counts, n => Assert.InRange(n, 800, 1200));
        Assert.Equal(0, LeasePartitions.Of(Guid.NewGuid(), 1));
    }

    [Fact]
    public void CountsOutOfRange_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LeasePartitions.Key(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LeasePartitions.Key(2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => LeasePartitions.Of(Guid.NewGuid(), LeasePartitions.MaxCount + 1));
    }
}
