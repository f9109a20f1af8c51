namespace Revocation.Api.SharedSignals;

/// <summary>
/// Why a pushed SET was refused, as RFC 8935 §2.3 answers it: HTTP 400 with
/// <c>{"err": <see cref="Error"/>, "description": <see cref="Description"/>}</c>. The description
/// names the claim or header at fault and never repeats the SET's content.
/// </summary>
/// <param name="Error">An error code of the IANA "Security Event Token Error Codes" registry.</param>
/// <param name="Description">For the transmitter's operator: what was wrong.</param>
internal sealed record SetRefusal(string Error, string Description)
{
    public static SetRefusal InvalidRequest(string description) => new("invalid_request", description);
    public static SetRefusal InvalidKey(string description) => new("invalid_key", description);
    public static SetRefusal InvalidIssuer(string description) => new("invalid_issuer", description);
    public static SetRefusal InvalidAudience(string description) => new("invalid_audience", description);
    public static SetRefusal AuthenticationFailed(string description) => new("authentication_failed", description);
}
