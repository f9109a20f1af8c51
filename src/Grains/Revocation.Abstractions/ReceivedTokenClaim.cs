namespace Revocation.Abstractions;

/// <summary>What <see cref="IReceivedTokenGrain.ClaimAsync"/> answered.</summary>
[GenerateSerializer, Alias("Revocation.ReceivedTokenClaim")]
public enum ReceivedTokenClaim
{
    /// <summary>The caller holds the claim: it revokes, then records or releases.</summary>
    Claimed = 0,

    /// <summary>The token was recorded before: a replay.</summary>
    Seen = 1,

    /// <summary>Another caller holds the claim right now (a concurrent delivery of the same token).</summary>
    InProgress = 2,
}
