namespace Revocation.Api.OAuth;

/// <summary>
/// Clients allowed to call <c>/oauth2/revoke</c> and <c>/oauth2/introspect</c> with HTTP Basic
/// authentication, bound from the <c>OAuth:Clients</c> list.
/// </summary>
public sealed class OAuthClientOptions
{
    public const string SectionName = "OAuth";

    public List<OAuthClient> Clients { get; set; } = [];
}

/// <summary>One client: its id and secret.</summary>
public sealed class OAuthClient
{
    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";
}
