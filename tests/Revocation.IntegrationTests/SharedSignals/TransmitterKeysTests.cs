using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Revocation.Api.SharedSignals;

namespace Revocation.IntegrationTests.SharedSignals;

/// <summary>
/// A transmitter's published keys: a small SSF metadata + JWKS server on loopback. SETs verify
/// through <c>ConfigurationUrl</c> or <c>JwksUri</c>; a key rotated in is fetched on first sight;
/// metadata naming another issuer gives no keys at all.
/// </summary>
public sealed class TransmitterKeysTests : IAsyncLifetime
{
    private static readonly string[] PushDelivery = ["urn:ietf:rfc:8935"];

    private readonly TestSets _sets = new();
    private readonly RSA _rotated = RSA.Create(2048);
    private WebApplication _transmitter = null!;
    private string _base = null!;
    private bool _rotatedPublished;
    private string _publishedIssuer = TestSets.Transmitter;

    public async Task InitializeAsync()
    {
        var port = TestPorts.Free();
        _base = $"http://127.0.0.1:{port}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(_base);
        _transmitter = builder.Build();
        _transmitter.MapGet("/.well-known/ssf-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = _publishedIssuer,
            ["jwks_uri"] = $"{_base}/jwks",
            ["delivery_methods_supported"] = PushDelivery,
        }));
        _transmitter.MapGet("/jwks", () => Results.Json(new { keys = (_rotatedPublished ? new[] { _sets.Rsa, _rotated } : [_sets.Rsa]).Select(Jwk).ToArray() }));
        await _transmitter.StartAsync();
    }

    private static object Jwk(RSA rsa, int index)
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = $"ssf-{index + 1}" });
        return new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E };
    }

    private static SecurityEventTokenValidator Validator(Action<TransmitterOptions> keys)
    {
        var transmitter = new TransmitterOptions { Issuer = TestSets.Transmitter, Audience = TestSets.Audience, SubjectIssuer = "idp", RequireHttpsMetadata = false };
        keys(transmitter);
        return new SecurityEventTokenValidator(
            Options.Create(new SharedSignalsOptions { Transmitters = [transmitter] }),
            new HostingEnvironment { EnvironmentName = Environments.Production },
            TimeProvider.System);
    }

    private static async Task<SetRefusal?> RefusalAsync(SecurityEventTokenValidator validator, string set) =>
        (await validator.ValidateAsync(validator.Read(set)!, CancellationToken.None)).Refusal;

    private static string SessionRevoked(TestSets sets, RSA? key = null) =>
        sets.Sign(TestSets.Claims(EventTypes.SessionRevoked, TestSets.Opaque("s")), key: key);

    [Fact]
    public async Task KeysFromTheTransmittersSsfConfiguration_VerifyItsSets()
    {
        var validator = Validator(t => t.ConfigurationUrl = $"{_base}/.well-known/ssf-configuration");

        Assert.Null(await RefusalAsync(validator, SessionRevoked(_sets)));
    }

    [Fact]
    public async Task KeysFromAJwksUri_VerifyItsSets_AndOnlyThem()
    {
        var validator = Validator(t => t.JwksUri = $"{_base}/jwks");
        using var forger = RSA.Create(2048);

        Assert.Null(await RefusalAsync(validator, SessionRevoked(_sets)));
        Assert.Equal("invalid_key", (await RefusalAsync(validator, SessionRevoked(_sets, forger)))!.Error);
    }

    [Fact]
    public async Task KeyRotatedIn_IsFetchedOnFirstSight()
    {
        var validator = Validator(t => t.JwksUri = $"{_base}/jwks");
        Assert.Null(await RefusalAsync(validator, SessionRevoked(_sets)));

        _rotatedPublished = true;
        var signedWithTheNewKey = _sets.Sign(TestSets.Claims(EventTypes.SessionRevoked, TestSets.Opaque("s")), key: _rotated, keyId: "ssf-2");

        Assert.Null(await RefusalAsync(validator, signedWithTheNewKey));
    }

    [Fact]
    public async Task MetadataNamingAnotherIssuer_GivesNoKeys()
    {
        _publishedIssuer = "https://impostor.example";
        var validator = Validator(t => t.ConfigurationUrl = $"{_base}/.well-known/ssf-configuration");
        var token = validator.Read(SessionRevoked(_sets))!;

        await Assert.ThrowsAnyAsync<Exception>(() => validator.ValidateAsync(token, CancellationToken.None));
    }

    public async Task DisposeAsync()
    {
        await _transmitter.DisposeAsync();
        _rotated.Dispose();
        _sets.Dispose();
    }
}
