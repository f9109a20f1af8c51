using Orleans.Concurrency;

namespace Revocation.Abstractions;

/// <summary>
/// "Log out everywhere" for one subject (<c>sub</c>): a not-before instant; every token of the
/// subject issued (<c>iat</c>) before it is revoked. One activation per subject cluster-wide,
/// loaded once on activation through Orleans grain persistence, answered from memory.
/// </summary>
[Alias("Revocation.ISubjectGrain")]
public interface ISubjectGrain : IGrainWithStringKey
{
    /// <summary>
    /// Revokes every token of the subject issued up to now, as read by an issuer whose clock runs
    /// up to the silo's issuer clock margin ahead: the not-before is now plus that margin, rounded
    /// up to the next whole second (<c>iat</c> has one-second resolution). Tokens issued before it
    /// are revoked, including those issued within the margin after this call; tokens issued from
    /// it on are valid. A stored not-before is never moved back. Returns once durable and once every
    /// API node with a near-cache lease acknowledged it or its lease ran out (see
    /// <see cref="ITokenGrain.RevokeAsync"/>; this call interleaves likewise, writes go one at a time).
    /// </summary>
    /// <exception cref="TokenInputException">The subject is invalid; nothing was written.</exception>
    /// <exception cref="RegistryStorageException">The write failed; nothing was revoked.</exception>
    /// <exception cref="RevocationNotConfirmedException">Recorded, but not every node could be told; retry to confirm.</exception>
    [AlwaysInterleave, Alias("RevokeAll")]
    Task<SubjectStatus> RevokeAllAsync();

    /// <summary>The subject's not-before, answered from memory.</summary>
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
