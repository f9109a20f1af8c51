namespace Revocation.Api.Issuing;

/// <summary>Body of <c>POST /auth/token</c>. Unknown fields are refused.</summary>
/// <param name="Sub">The subject; required, 1–256 characters, no control characters.</param>
/// <param name="LifetimeSeconds">Token lifetime in seconds; defaults to <c>Issuer:DefaultLifetime</c>.</param>
/// <param name="Scope">Space-separated scopes, e.g. <c>"read admin"</c>; at most 1024 characters.</param>
public sealed record TokenRequest(string? Sub, int? LifetimeSeconds, string? Scope);

/// <summary>An issued token (RFC 6749 §5.1 field names).</summary>
public sealed record TokenResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_type")] string TokenType,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] long ExpiresIn);
