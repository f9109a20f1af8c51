using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Revocation.Abstractions;
using Revocation.Api.Authentication;

namespace Revocation.Api.SharedSignals;

/// <summary>
/// Verifies a pushed Security Event Token the way RFC 8417 §4 and SSF 1.0 §4.1 ask: a compact JWS
/// (no <c>none</c>, no encryption) of a configured transmitter, signed with that transmitter's key,
/// <c>typ: secevent+jwt</c>, the transmitter's audience, an <c>iat</c> within
/// <see cref="SharedSignalsOptions.MaxEventAge"/>, a <c>jti</c>, an <c>events</c> object, and neither
/// <c>exp</c> nor <c>sub</c> (which would let an access or ID token pass for a SET, or a SET for one).
/// </summary>
internal sealed class SecurityEventTokenValidator : IDisposable
{
    private static readonly string[] Types = ["secevent+jwt", "application/secevent+jwt"];
    private static readonly string[] Algorithms = [.. JwtKeys.RsaAlgorithms, .. JwtKeys.EcAlgorithms];

    private readonly Dictionary<string, (TransmitterOptions Options, TransmitterKeys Keys)> _transmitters = new(StringComparer.Ordinal);
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly SharedSignalsOptions _options;
    private readonly TimeProvider _time;

    public SecurityEventTokenValidator(IOptions<SharedSignalsOptions> options, IHostEnvironment environment, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        foreach (var transmitter in _options.Transmitters)
        {
            var requireHttps = transmitter.RequireHttpsMetadata ?? !environment.IsDevelopment();
            _transmitters[transmitter.Issuer!] = (transmitter, new TransmitterKeys(transmitter, requireHttps, time));
        }
    }

    /// <summary>The transmitter that the SET names as its issuer, read before anything is verified (to check its push authorization first).</summary>
    public TransmitterOptions? TransmitterOf(JsonWebToken token) =>
        token.Issuer is { } issuer && _transmitters.TryGetValue(issuer, out var t) ? t.Options : null;

    /// <summary>Parses a compact JWS without verifying it; <c>null</c> when it is not one.</summary>
    public JsonWebToken? Read(string set)
    {
        // Five parts is a JWE: SETs are accepted signed only (their content is not secret here).
        if (set.Length == 0 || set.Count(c => c == '.') != 2 || !_handler.CanReadToken(set))
        {
            return null;
        }

        try
        {
            return _handler.ReadJsonWebToken(set);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException)
        {
            return null;
        }
    }

    public async Task<(SecurityEventToken? Set, SetRefusal? Refusal)> ValidateAsync(JsonWebToken token, CancellationToken cancellationToken)
    {
        if (token.Issuer is not { } issuer || !_transmitters.TryGetValue(issuer, out var transmitter))
        {
            return (null, SetRefusal.InvalidIssuer("The SET's iss is not a transmitter of SharedSignals:Transmitters."));
        }

        var keys = await transmitter.Keys.GetAsync(unknownKey: false, cancellationToken);
        if (transmitter.Keys.CanRefresh && !string.IsNullOrEmpty(token.Kid) && !keys.Any(k => k.KeyId == token.Kid))
        {
            // A key rotated in since the JWKS was fetched: fetch it again (throttled) before verifying.
            keys = await transmitter.Keys.GetAsync(unknownKey: true, cancellationToken);
        }

        var result = await _handler.ValidateTokenAsync(token, Parameters(transmitter.Options, keys));

        if (!result.IsValid)
        {
            return (null, Refusal(result.Exception));
        }

        return Claims(token, transmitter.Options);
    }

    private (SecurityEventToken?, SetRefusal?) Claims(JsonWebToken token, TransmitterOptions transmitter)
    {
        using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(Base64UrlEncoder.Decode(token.EncodedPayload)));
        var payload = document.RootElement;
        if (payload.TryGetProperty("exp", out _))
        {
            return (null, SetRefusal.InvalidRequest("A SET carries no exp (RFC 8417 §4.5, SSF 1.0 §4.1.6); this JWT is not a SET."));
        }

        if (payload.TryGetProperty("sub", out _))
        {
            return (null, SetRefusal.InvalidRequest("A SET carries no sub claim (SSF 1.0 §4.1.2; its subject is sub_id); this JWT is not a SET."));
        }

        if (!payload.TryGetProperty("jti", out var jti) || jti.ValueKind != JsonValueKind.String || TokenInput.CheckJti(jti.GetString()) is { } jtiError)
        {
            return (null, SetRefusal.InvalidRequest("The SET's jti is missing or not a string of 1 to 256 printable characters."));
        }

        if (!payload.TryGetProperty("iat", out var iat) || !iat.TryGetInt64(out var iatSeconds))
        {
            return (null, SetRefusal.InvalidRequest("The SET's iat is missing or not a number of seconds."));
        }

        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(iatSeconds, 0, DateTimeOffset.MaxValue.ToUnixTimeSeconds()));
        var now = _time.GetUtcNow();
        if (issuedAt > now + _options.ClockSkew)
        {
            return (null, SetRefusal.InvalidRequest($"The SET's iat lies further ahead of this receiver's clock than SharedSignals:ClockSkew ({_options.ClockSkew})."));
        }

        if (issuedAt < now - _options.MaxEventAge)
        {
            return (null, SetRefusal.InvalidRequest($"The SET's iat is older than SharedSignals:MaxEventAge ({_options.MaxEventAge}): its jti is no longer remembered, so a replay could not be told apart."));
        }

        if (!payload.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Object || !events.EnumerateObject().Any()
            || events.EnumerateObject().Any(e => e.Value.ValueKind != JsonValueKind.Object))
        {
            return (null, SetRefusal.InvalidRequest("The SET's events claim is missing, empty, or has a member whose value is not a JSON object (RFC 8417 §2.2)."));
        }

        return (new SecurityEventToken(transmitter, jti.GetString()!, issuedAt, payload.Clone()), null);
    }

    private TokenValidationParameters Parameters(TransmitterOptions transmitter, IReadOnlyList<SecurityKey> keys) => new()
    {
        ValidIssuer = transmitter.Issuer,
        ValidAudience = transmitter.Audience,
        IssuerSigningKeys = keys,
        ValidAlgorithms = Algorithms,
        ValidTypes = Types,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateIssuerSigningKey = true,
        RequireSignedTokens = true,
        TryAllIssuerSigningKeys = true,

        // SETs have no exp (and must not): their age is bounded by iat against MaxEventAge instead.
        ValidateLifetime = false,
        RequireExpirationTime = false,
        RequireAudience = true,
        ClockSkew = _options.ClockSkew,
    };

    public void Dispose()
    {
        foreach (var (_, keys) in _transmitters.Values)
        {
            keys.Dispose();
        }
    }

    private static SetRefusal Refusal(Exception? error) => error switch
    {
        SecurityTokenInvalidAudienceException => SetRefusal.InvalidAudience("The SET's aud does not name this receiver (SharedSignals:Transmitters:N:Audience)."),
        SecurityTokenInvalidIssuerException => SetRefusal.InvalidIssuer("The SET's iss is not a transmitter of SharedSignals:Transmitters."),
        SecurityTokenInvalidTypeException => SetRefusal.InvalidRequest("The SET's header must say typ: secevent+jwt (RFC 8417 §2.3, SSF 1.0 §4.1.1)."),
        SecurityTokenInvalidAlgorithmException => SetRefusal.InvalidKey("The SET's alg is not an asymmetric signature algorithm accepted here (RS*, PS*, ES*)."),
        SecurityTokenSignatureKeyNotFoundException => SetRefusal.InvalidKey("No key of the transmitter verifies the SET's signature."),
        SecurityTokenInvalidSignatureException => SetRefusal.InvalidKey("The SET's signature does not verify with the transmitter's keys."),
        _ => SetRefusal.InvalidRequest("The SET could not be verified as a signed JWT of its transmitter."),
    };
}
