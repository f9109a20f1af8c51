/// <summary>One renewal of a simulated node. Times are <see cref="System.Diagnostics.Stopwatch"/> timestamps.</summary>
/// <param name="SentAt">When the renewal was sent.</param>
/// <param name="ReceivedAt">When its answer (or failure) arrived.</param>
/// <param name="Kind">What it did to the node's lease.</param>
/// <param name="LeaseEndsAt">The node's own end of the lease after it (unchanged by a failure).</param>
internal sealed record LeaseEvent(long SentAt, long ReceivedAt, LeaseEventKind Kind, long LeaseEndsAt)
{
    /// <summary>A new lease id after the first: the node lost its lease as the grain saw it.</summary>
    public bool IsNewLeaseId => Kind is LeaseEventKind.Continued or LeaseEventKind.Lapsed;
}
