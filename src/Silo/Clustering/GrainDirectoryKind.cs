namespace Revocation.Silo.Clustering;

/// <summary>Which Orleans grain directory the silos run; every silo of a cluster should run the same.</summary>
public enum GrainDirectoryKind
{
    /// <summary>
    /// Orleans' strongly consistent directory (<c>AddDistributedGrainDirectory</c>): its ranges move
    /// between silos under a membership version, with the entries handed over or recovered from the
    /// silos that hold the activations, so no two members of the cluster run one grain at once.
    /// </summary>
    Distributed,

    /// <summary>
    /// Orleans' default, eventually consistent directory: while silos disagree about who is a member,
    /// one grain can be activated twice for a moment (longer when a silo is declared dead).
    /// </summary>
    Local,
}
