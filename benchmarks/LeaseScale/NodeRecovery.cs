/// <summary>How one node came through the loss of a silo: its first lease from a renewal sent after the kill.</summary>
/// <param name="LeasedAt">When that grant arrived (a Stopwatch timestamp); null if none did.</param>
/// <param name="Kind">What it was: the same lease extended, continued under a new id, or new after a lapse.</param>
/// <param name="WithoutLease">How long the node's own lease had run out before that grant arrived (zero: it never did).</param>
/// <param name="FailedRenewals">Renewals sent after the kill that failed before it.</param>
internal sealed record NodeRecovery(long? LeasedAt, LeaseEventKind? Kind, TimeSpan WithoutLease, int FailedRenewals)
{
    public static NodeRecovery Of(SimulatedNode node, long killedAt)
    {
        var events = node.Events.ToList();
        var index = events.FindIndex(e => e.SentAt >= killedAt && e.Kind != LeaseEventKind.Failed);
        var failed = events.Take(index < 0 ? events.Count : index).Count(e => e.SentAt >= killedAt && e.Kind == LeaseEventKind.Failed);
        if (index < 0)
        {
            return new NodeRecovery(null, null, TimeSpan.Zero, failed);
        }

        var grant = events[index];
        var heldUntil = index > 0 ? events[index - 1].LeaseEndsAt : grant.SentAt;
        var gap = System.Diagnostics.Stopwatch.GetElapsedTime(heldUntil, grant.ReceivedAt);
        return new NodeRecovery(grant.ReceivedAt, grant.Kind, gap > TimeSpan.Zero ? gap : TimeSpan.Zero, failed);
    }
}
