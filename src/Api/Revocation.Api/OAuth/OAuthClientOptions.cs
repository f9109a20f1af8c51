namespace Revocation.Api.OAuth;

/// <summary>
/// Clients allowed to call <c>/oauth2/revoke</c> and <c>/oauth2/introspect</c> with HTTP Basic
/// authentication, and how often they may, bound from the <c>OAuth</c> section; validated at start
/// (<see cref="OAuthClientOptionsValidator"/>).
/// </summary>
public sealed class OAuthClientOptions
{
    public const string SectionName = "OAuth";

    /// <summary>The clients (<c>OAuth:Clients:N:ClientId</c>, <c>…:ClientSecret</c>). The default is none.</summary>
    public List<OAuthClient> Clients { get; set; } = [];

    /// <summary>Request limits of <c>/oauth2/*</c> (<c>OAuth:RateLimit</c>).</summary>
    public OAuthRateLimitOptions RateLimit { get; set; } = new();
}
