namespace Revocation.Testing;

/// <summary>The two OAuth clients every in-process API node is configured with (<c>OAuth:Clients</c>).</summary>
public static class OAuthTestClients
{
    public const string ClientId = "client-a";

    /// <summary>Characters that need form-encoding in Basic auth (space, +, :), and long enough for the node's secret rule.</summary>
    public const string ClientSecret = "secret a+b:c of client-a, 40 or more characters";
    public const string OtherClientId = "client-b";
    public const string OtherClientSecret = "client-b-secret-in-base64url-0123456789ABCDEFGH";
}
