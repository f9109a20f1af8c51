using System.Text.Json.Serialization;

namespace Revocation.Api.Oidc;

/// <summary>Back-Channel Logout 1.0 §2.8's error body (OAuth 2.0's <c>error</c> and <c>error_description</c>).</summary>
public sealed record BackchannelLogoutError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);
