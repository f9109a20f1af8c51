namespace Revocation.Silo.Rejuvenation;

/// <summary>The outcome of asking for a recycling turn.</summary>
/// <param name="Granted">The caller holds a turn and may stop now.</param>
/// <param name="HeldByOthers">Open turns of other silos (at most <c>Rejuvenation:MaxConcurrent</c>).</param>
/// <param name="OtherActiveSilos">Active silos other than the caller that are not recycling themselves.</param>
/// <param name="Expired">Turns that ran out during this call: their holders died or never came back.</param>
public sealed record TurnAnswer(bool Granted, int HeldByOthers, int OtherActiveSilos, IReadOnlyList<RecycleHolder> Expired);
