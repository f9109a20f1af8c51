/// <summary>What one renewal of a simulated node brought, as an API node's near cache would take it.</summary>
internal enum LeaseEventKind
{
    /// <summary>The node's first lease.</summary>
    First,

    /// <summary>The lease held was extended (same lease id).</summary>
    Extended,

    /// <summary>A new lease id while the node's own lease still held (a new lease grain activation): a real node keeps its cache.</summary>
    Continued,

    /// <summary>A new lease id after the node's own lease had run out: a real node drops its cache.</summary>
    Lapsed,

    /// <summary>The renewal failed or took longer than two renewal periods.</summary>
    Failed,
}
