using Orleans.Concurrency;

namespace Revocation.Abstractions;

/// <summary>
/// "Log out everywhere" for one subject (<c>sub</c>): a not-before instant; every token of the
/// subject issued (<c>iat</c>) before it is revoked. One activation per subject cluster-wide,
/// loaded on activation through Orleans grain persistence and re-read once older than the silo's
/// <c>SubjectRevocation:NotBeforeMaxAge</c>, answered from memory.
/// </summary>
[Alias("Revocation.ISubjectGrain")]
public interface ISubjectGrain : IGrainWithStringKey
{
    /// <summary>
    /// Revokes every token of the subject issued (<c>iat</c>) before <paramref name="notBefore"/>,
    /// an instant on the token issuers' clocks that the caller takes: an API node takes its own now
    /// plus how far the issuer's clock runs ahead of it, plus a margin, so that every token issued
    /// before the call is refused and one issued a second after it returned is accepted. Not
    /// rounded: <c>iat</c> has whole seconds, and a token is revoked when its <c>iat</c> is earlier.
    /// A stored not-before is never moved back (an earlier one changes nothing but is confirmed like
    /// a new one). Returns the not-before in force once it is durable and every API node with a
    /// near-cache lease acknowledged it or its lease ran out (see <see cref="ITokenGrain.RevokeAsync"/>;
    /// this call interleaves likewise, writes go one at a time).
    /// </summary>
    /// <param name="notBefore">
    /// Tokens issued before this are revoked. Refused when further than the silo's
    /// <c>SubjectRevocation:MaxIssuerClockOffset</c> from its own clock, in either direction: a
    /// broken clock on the caller must neither lock the subject out for long nor revoke too little.
    /// </param>
    /// <exception cref="TokenInputException">The subject is invalid (field <c>sub</c>), or <paramref name="notBefore"/> is out of range (field <c>notBefore</c>); nothing was written.</exception>
    /// <exception cref="RegistryStorageException">The write failed; nothing was revoked.</exception>
    /// <exception cref="RevocationNotConfirmedException">Recorded, but not every node could be told; retry to confirm.</exception>
    [AlwaysInterleave, Alias("RevokeAllBefore")]
    Task<SubjectStatus> RevokeAllAsync(DateTimeOffset notBefore);

    /// <summary>
    /// The subject's not-before, answered from memory; re-read from storage once the value held is
    /// older than the silo's <c>SubjectRevocation:NotBeforeMaxAge</c> (concurrent callers share one
    /// read, and a value read never moves the not-before back).
    /// </summary>
    [ReadOnly, Alias("GetStatus")]
    ValueTask<SubjectStatus> GetStatusAsync();
}

/// <summary>The subject-wide rule.</summary>
/// <param name="NotBefore">Tokens with <c>iat</c> before this are revoked; <c>null</c>: none are.</param>
[GenerateSerializer, Immutable, Alias("Revocation.SubjectStatus")]
public sealed record SubjectStatus([property: Id(0)] DateTimeOffset? NotBefore)
{
    /// <summary>A subject never revoked.</summary>
    public static SubjectStatus None { get; } = new((DateTimeOffset?)null);

    /// <summary>Whether a token issued at <paramref name="issuedAt"/> is revoked by this rule.</summary>
    public bool Revokes(DateTimeOffset issuedAt) => NotBefore is { } notBefore && issuedAt < notBefore;
}
