/// <summary>What the renewals of every node received within a time span brought.</summary>
internal sealed record LeaseCounts(int Renewals, int Failed, int Extended, int Continued, int Lapsed)
{
    /// <summary>New lease ids after each node's first: the grain stopped counting on the node for a while (or moved).</summary>
    public int NewLeaseIds => Continued + Lapsed;

    /// <summary>The renewals answered between the Stopwatch timestamps <paramref name="from"/> and <paramref name="to"/>.</summary>
    public static LeaseCounts Between(IEnumerable<SimulatedNode> nodes, long from, long to)
    {
        var events = nodes.SelectMany(n => n.Events).Where(e => e.ReceivedAt >= from && e.ReceivedAt < to).ToList();
        int Count(LeaseEventKind kind) => events.Count(e => e.Kind == kind);
        return new LeaseCounts(
            events.Count(e => e.Kind != LeaseEventKind.Failed),
            Count(LeaseEventKind.Failed),
            Count(LeaseEventKind.Extended),
            Count(LeaseEventKind.Continued),
            Count(LeaseEventKind.Lapsed));
    }
}
