namespace Revocation.Api.Gateway;

/// <summary>
/// The response headers that carry an accepted token's identity to the gateway, which copies them
/// onto the request it passes to the backend (<c>ForwardAuth:Headers:*</c>). Each must be a valid
/// HTTP field name, and the four must differ.
/// </summary>
public sealed class ForwardAuthHeaders
{
    /// <summary>The token's <c>sub</c>. The default is <c>X-Auth-Subject</c>.</summary>
    public string Subject { get; set; } = "X-Auth-Subject";

    /// <summary>The token's <c>jti</c>. The default is <c>X-Auth-Jti</c>.</summary>
    public string Jti { get; set; } = "X-Auth-Jti";

    /// <summary>
    /// The token's scopes, space-separated (RFC 9068 <c>scope</c>, and <c>scp</c> as some issuers
    /// write them). The default is <c>X-Auth-Scope</c>.
    /// </summary>
    public string Scope { get; set; } = "X-Auth-Scope";

    /// <summary>The client the token was issued to: <c>client_id</c>, else <c>azp</c>. The default is <c>X-Auth-Client-Id</c>.</summary>
    public string ClientId { get; set; } = "X-Auth-Client-Id";

    /// <summary>Each setting's name under the section and its value, in a fixed order.</summary>
    internal IEnumerable<(string Setting, string? Name)> All =>
    [
        (nameof(Subject), Subject),
        (nameof(Jti), Jti),
        (nameof(Scope), Scope),
        (nameof(ClientId), ClientId),
    ];
}
