namespace Revocation.AspNetCore;

/// <summary>How the revocation check behaves, bound from the <c>RevocationCheck</c> section.</summary>
public sealed class RevocationCheckOptions
{
    public const string SectionName = "RevocationCheck";

    /// <summary>
    /// Whether a token without a <c>jti</c> claim is rejected. Such a token cannot be revoked, so the
    /// default is true; set false only where every issuer is trusted to be short-lived.
    /// </summary>
    public bool RequireJti { get; set; } = true;

    /// <summary>
    /// Whether subject-wide revocations ("log out everywhere") are checked too. The token's and
    /// the subject's lookups run concurrently. With this on, tokens must carry <c>iat</c>. The
    /// default is true.
    /// </summary>
    public bool CheckSubject { get; set; } = true;

    /// <summary>
    /// How long one check may wait for the registry before the failure policy applies. Orleans'
    /// own response timeout (30 s) must never be what a user waits for. The default is 2 seconds.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>What to do when the registry cannot answer. The default is <see cref="RevocationFailurePolicy.FailClosed"/>.</summary>
    public RevocationFailurePolicy FailurePolicy { get; set; } = RevocationFailurePolicy.FailClosed;
}

/// <summary>What a request gets when the registry cannot say whether its token is revoked.</summary>
public enum RevocationFailurePolicy
{
    /// <summary>Refuse the request with 503: a revoked token is never accepted.</summary>
    FailClosed,

    /// <summary>Accept the token as not revoked (logged and counted): availability over safety.</summary>
    FailOpen,
}
