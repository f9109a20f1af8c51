namespace Revocation.Api.SharedSignals;

/// <summary>The event type URIs acted on (CAEP 1.0 §3, RISC 1.0 §2, SSF 1.0 §8.1.4); every other is accepted and ignored.</summary>
internal static class SecurityEventTypes
{
    public const string SessionRevoked = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
    public const string CredentialChange = "https://schemas.openid.net/secevent/caep/event-type/credential-change";
    public const string AccountDisabled = "https://schemas.openid.net/secevent/risc/event-type/account-disabled";
    public const string CredentialCompromise = "https://schemas.openid.net/secevent/risc/event-type/credential-compromise";
    public const string Verification = "https://schemas.openid.net/secevent/ssf/event-type/verification";

    /// <summary>The short name used in metrics and logs: the URI's last segment, or <c>other</c> for one not acted on.</summary>
    public static string NameOf(string type) => type switch
    {
        SessionRevoked => "session-revoked",
        CredentialChange => "credential-change",
        AccountDisabled => "account-disabled",
        CredentialCompromise => "credential-compromise",
        Verification => "verification",
        _ => "other",
    };
}
