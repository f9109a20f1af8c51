namespace Revocation.Api.OAuth;

/// <summary>
/// One client: its id and secret. An entry whose id and secret are both empty is ignored (a
/// deployment template leaves <c>OAuth__Clients__0__*</c> empty when it has no client).
/// </summary>
public sealed class OAuthClient
{
    public string ClientId { get; set; } = "";

    /// <summary>Compared as its UTF-8 bytes; at least 256 bits of entropy (<see cref="ClientSecretStrength"/>).</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>Both empty: a slot a template left unfilled.</summary>
    internal bool IsEmpty => ClientId.Length == 0 && ClientSecret.Length == 0;
}
