namespace Revocation.Api.Oidc;

/// <summary>Why a logout token was refused, or its revocation not completed.</summary>
/// <param name="Reason">A short code for metrics and logs (<c>signature</c>, <c>aud</c>, <c>nonce</c>, <c>replay</c>, …).</param>
/// <param name="Description">The text the provider gets as <c>error_description</c>: the rule broken, never the token's content.</param>
/// <param name="Error">The <c>error</c> code: <c>invalid_request</c> for the token, <c>temporarily_unavailable</c> when the registry failed (nothing is confirmed; the same token may be delivered again).</param>
internal sealed record LogoutTokenRefusal(string Reason, string Description, string Error = LogoutTokenRefusal.InvalidRequest)
{
    public const string InvalidRequest = "invalid_request";
    public const string TemporarilyUnavailable = "temporarily_unavailable";
}
