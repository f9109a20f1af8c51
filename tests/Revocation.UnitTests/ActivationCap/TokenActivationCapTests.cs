using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Revocation.Grains;

namespace Revocation.UnitTests.ActivationCap;

/// <summary>The eviction rule of the per-silo token grain cap, without a silo.</summary>
public sealed class TokenActivationCapTests
{
    [Fact]
    public void UnderTheLimit_NothingIsEvicted()
    {
        var cap = NewCap(limit: 3);
        var activations = Admit(cap, 3);

        Assert.Equal(3, cap.Count);
        Assert.All(activations, a => Assert.False(a.Evicted));
    }

    [Fact]
    public void OverTheLimit_TheOldestUnusedIsEvicted()
    {
        var cap = NewCap(limit: 3);
        var activations = Admit(cap, 5);

        Assert.Equal(3, cap.Count);
        Assert.Equal([true, true, false, false, false], activations.Select(a => a.Evicted));
    }

    [Fact]
    public void RecentlyUsed_GetsASecondChance()
    {
        var cap = NewCap(limit: 3);
        var activations = Admit(cap, 3);
        activations[0].Use();

        var newcomer = Admit(cap, 1)[0];

        Assert.False(activations[0].Evicted);
        Assert.True(activations[1].Evicted);
        Assert.False(newcomer.Evicted);
        Assert.Equal(3, cap.Count);
    }

    [Fact]
    public void SecondChance_IsSpentOnce()
    {
        var cap = NewCap(limit: 2);
        var hot = Admit(cap, 1)[0];
        hot.Use();
        Admit(cap, 2); // hot is passed over once, its mark cleared, and it goes to the back
        Assert.False(hot.Evicted);

        Admit(cap, 2); // unused since: evicted when it reaches the front again

        Assert.True(hot.Evicted);
    }

    [Fact]
    public void EverythingRecentlyUsed_StillStaysAtTheLimit_AndSparesTheNewcomer()
    {
        var cap = NewCap(limit: 4);
        var activations = Admit(cap, 4);
        foreach (var activation in activations)
        {
            activation.Use();
        }

        var newcomer = Admit(cap, 1)[0];

        Assert.Equal(4, cap.Count);
        Assert.Single(activations, a => a.Evicted);
        Assert.False(newcomer.Evicted);
    }

    [Fact]
    public void LimitOfOne_KeepsOnlyTheNewcomer()
    {
        var cap = NewCap(limit: 1);
        var first = Admit(cap, 1)[0];
        first.Use();

        var second = Admit(cap, 1)[0];

        Assert.True(first.Evicted);
        Assert.False(second.Evicted);
        Assert.Equal(1, cap.Count);
    }

    [Fact]
    public void Released_IsNoLongerCounted()
    {
        var cap = NewCap(limit: 2);
        var first = new FakeActivation();
        var entry = cap.Admit(first)!;
        Admit(cap, 1);

        cap.Release(entry);
        var later = Admit(cap, 1);

        Assert.Equal(2, cap.Count);
        Assert.False(first.Evicted);
        Assert.False(later[0].Evicted);
    }

    [Fact]
    public void ReleasingAnEvictedActivation_ChangesNothing()
    {
        var cap = NewCap(limit: 1);
        var first = new FakeActivation();
        var entry = cap.Admit(first)!;
        Admit(cap, 1);
        Assert.True(first.Evicted);

        cap.Release(entry); // its deactivation completes after the eviction

        Assert.Equal(1, cap.Count);
    }

    [Fact]
    public void ZeroLimit_CountsNothing()
    {
        var cap = NewCap(limit: 0);
        var activations = Admit(cap, 1000);

        Assert.Equal(0, cap.Count);
        Assert.All(activations, a => Assert.False(a.Evicted));
    }

    [Fact]
    public void ConcurrentAdmissionsAndReleases_EndAtTheLimit()
    {
        const int Limit = 100;
        var cap = NewCap(Limit);

        Parallel.For(0, 20_000, i =>
        {
            var activation = new FakeActivation();
            var entry = cap.Admit(activation)!;
            if (i % 3 == 0)
            {
                activation.Use();
            }

            if (i % 7 == 0)
            {
                cap.Release(entry);
            }
        });

        Assert.True(cap.Count <= Limit, $"{cap.Count} activations counted, limit {Limit}");
    }

    private static List<FakeActivation> Admit(TokenActivationCap cap, int count)
    {
        var admitted = new List<FakeActivation>();
        for (var i = 0; i < count; i++)
        {
            var activation = new FakeActivation();
            cap.Admit(activation);
            admitted.Add(activation);
        }

        return admitted;
    }

    private static TokenActivationCap NewCap(int limit)
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        return new TokenActivationCap(
            Options.Create(new TokenGrainOptions { MaxActivationsPerSilo = limit }),
            new RegistryMetrics(meters),
            TimeProvider.System,
            NullLogger<TokenActivationCap>.Instance);
    }

    private sealed class FakeActivation : ICappedActivation
    {
        private int _used;

        public bool Evicted { get; private set; }

        public void Use() => _used = 1;

        public bool TakeRecentUse() => Interlocked.Exchange(ref _used, 0) == 1;

        public void Evict()
        {
            Assert.False(Evicted, "evicted twice");
            Evicted = true;
        }
    }
}
