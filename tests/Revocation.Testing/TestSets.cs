using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Revocation.Testing;

/// <summary>
/// A Shared Signals transmitter for tests: its RSA key, and SETs it signs (<c>typ: secevent+jwt</c>,
/// a fresh <c>jti</c>, <c>iat</c> now) about the events and subjects a test asks for.
/// </summary>
public sealed class TestSets : IDisposable
{
    public const string Transmitter = "https://ssf.test-transmitter.example";
    public const string Audience = "https://registry.example/ssf";

    public RSA Rsa { get; } = RSA.Create(2048);

    public string PublicPem => Rsa.ExportSubjectPublicKeyInfoPem();

    public static JsonObject IssSub(string iss, string sub) => new() { ["format"] = "iss_sub", ["iss"] = iss, ["sub"] = sub };

    public static JsonObject Opaque(string id) => new() { ["format"] = "opaque", ["id"] = id };

    public static JsonObject Complex(JsonObject? user = null, JsonObject? session = null)
    {
        var complex = new JsonObject { ["format"] = "complex" };
        if (user is not null)
        {
            complex["user"] = user;
        }

        if (session is not null)
        {
            complex["session"] = session;
        }

        return complex;
    }

    /// <summary>The claims of a SET with one event; change any before signing it with <see cref="Sign"/>.</summary>
    public static JsonObject Claims(string eventType, JsonObject? subject, JsonObject? eventClaims = null, DateTimeOffset? issuedAt = null) => new()
    {
        ["iss"] = Transmitter,
        ["aud"] = Audience,
        ["iat"] = (issuedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
        ["jti"] = Guid.NewGuid().ToString("N"),
        ["txn"] = "8675309",
        ["sub_id"] = subject,
        ["events"] = new JsonObject { [eventType] = eventClaims ?? new JsonObject() },
    };

    public string Sign(JsonObject claims, string type = "secevent+jwt", RSA? key = null, string keyId = "ssf-1")
    {
        var credentials = new SigningCredentials(new RsaSecurityKey(key ?? Rsa) { KeyId = keyId }, SecurityAlgorithms.RsaSha256);
        var header = new Dictionary<string, object> { ["typ"] = type };
        return new JsonWebTokenHandler().CreateToken(claims.ToJsonString(), credentials, header);
    }

    public string Event(string eventType, JsonObject? subject, JsonObject? eventClaims = null) => Sign(Claims(eventType, subject, eventClaims));

    public static string JtiOf(string set) => new JsonWebToken(set).Id;

    public void Dispose() => Rsa.Dispose();
}

/// <summary>The event type URIs, as a transmitter writes them.</summary>
public static class EventTypes
{
    public const string SessionRevoked = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
    public const string CredentialChange = "https://schemas.openid.net/secevent/caep/event-type/credential-change";
    public const string AccountDisabled = "https://schemas.openid.net/secevent/risc/event-type/account-disabled";
    public const string CredentialCompromise = "https://schemas.openid.net/secevent/risc/event-type/credential-compromise";
    public const string Verification = "https://schemas.openid.net/secevent/ssf/event-type/verification";
    public const string TokenClaimsChange = "https://schemas.openid.net/secevent/caep/event-type/token-claims-change";
}
