namespace Revocation.Silo.Rejuvenation;

/// <summary>Why a silo recycles: the <c>reason</c> of the metrics, the log and <c>recycle_turns</c>.</summary>
public static class RecycleReason
{
    public const string MaxLifetime = "max_lifetime";

    public const string Memory = "memory";
}
