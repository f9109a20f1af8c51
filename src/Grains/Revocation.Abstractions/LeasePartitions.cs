using System.Buffers.Binary;
using System.Globalization;

namespace Revocation.Abstractions;

/// <summary>
/// The lease service split into partitions, each one <see cref="INodeLeaseGrain"/> activation: an
/// API node renews its lease with the partition its id hashes to, and a revocation is told to every
/// partition and returns when each answered. The count must be the same on every silo and every API
/// node: the partition grains refuse a node that counts otherwise.
/// </summary>
public static class LeasePartitions
{
    /// <summary>The most partitions a cluster may have.</summary>
    public const int MaxCount = 64;

    /// <summary>
    /// The key of partition <paramref name="partition"/> of <paramref name="count"/>. One partition is
    /// the one lease grain of old (<see cref="INodeLeaseGrain.Key"/>), so that a cluster that keeps one
    /// partition keeps its key; the key of any other names the count, so that nodes and silos that
    /// disagree on it never share a partition unknowingly.
    /// </summary>
    public static string Key(int partition, int count)
    {
        CheckCount(count);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(partition, count);
        return count == 1 ? INodeLeaseGrain.Key : string.Create(CultureInfo.InvariantCulture, $"{INodeLeaseGrain.Key}/{partition}/{count}");
    }

    /// <summary>The keys of every partition of <paramref name="count"/>.</summary>
    public static IReadOnlyList<string> Keys(int count) => [.. Enumerable.Range(0, count).Select(p => Key(p, count))];

    /// <summary>
    /// The partition of node <paramref name="nodeId"/> among <paramref name="count"/>: the same in every
    /// process and every version (arithmetic on the id's bytes, not <see cref="object.GetHashCode"/>).
    /// </summary>
    public static int Of(Guid nodeId, int count)
    {
        CheckCount(count);
        Span<byte> bytes = stackalloc byte[16];
        nodeId.TryWriteBytes(bytes);
        return (int)(BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]) % (ulong)count);
    }

    /// <summary>Reads a partition grain's key back into its partition and count.</summary>
    public static bool TryParse(string key, out int partition, out int count)
    {
        (partition, count) = (0, 1);
        if (key == INodeLeaseGrain.Key)
        {
            return true;
        }

        var parts = key.Split('/');
        return parts.Length == 3 && parts[0] == INodeLeaseGrain.Key
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out partition)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out count)
            && count is >= 1 and <= MaxCount && partition < count && key == Key(partition, count);
    }

    private static void CheckCount(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);
    }
}
