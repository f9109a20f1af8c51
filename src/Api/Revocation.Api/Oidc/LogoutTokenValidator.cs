using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Revocation.Abstractions;
using Revocation.Api.Authentication;

namespace Revocation.Api.Oidc;

/// <summary>
/// OpenID Connect Back-Channel Logout 1.0 §2.6, one named step each: a JWT of a trusted issuer with
/// the receiver on; signed with a key of that issuer (configured, or from its authority's JWKS —
/// the bearer scheme's own keys and algorithms); <c>aud</c> containing the client id the provider
/// knows us by; <c>exp</c>, if present, not passed; typed <c>logout+jwt</c> (or untyped, as older
/// providers send); <c>iat</c> within <see cref="BackchannelLogoutOptions.MaxTokenAge"/>; the
/// back-channel logout event in <c>events</c>; no <c>nonce</c>; a <c>sub</c> or <c>sid</c>; a <c>jti</c>.
/// The replay check is the receiver's (it needs the cluster).
/// </summary>
internal sealed class LogoutTokenValidator
{
    /// <summary>The member of <c>events</c> that makes a JWT a logout token (§2.4).</summary>
    public const string BackchannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout";

    private static readonly string[] LogoutTokenTypes = ["logout+jwt", "application/logout+jwt"];

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly Dictionary<string, string> _clientIds = new(StringComparer.Ordinal);
    private readonly IOptionsMonitor<JwtBearerOptions> _bearer;
    private readonly BackchannelLogoutOptions _options;
    private readonly TimeProvider _time;

    public LogoutTokenValidator(IOptions<JwtOptions> jwt, IOptionsMonitor<JwtBearerOptions> bearer, IOptions<BackchannelLogoutOptions> options, TimeProvider time)
    {
        foreach (var (_, issuer) in jwt.Value.TrustedIssuers())
        {
            if (issuer.Issuer is { } iss && issuer.BackchannelLogout.ClientId is { } clientId && !string.IsNullOrWhiteSpace(clientId))
            {
                _clientIds[iss] = clientId;
            }
        }

        _bearer = bearer;
        _options = options.Value;
        _time = time;
    }

    /// <summary>Whether any trusted issuer has the receiver on (<c>…:BackchannelLogout:ClientId</c>).</summary>
    public bool Enabled => _clientIds.Count > 0;

    /// <summary>The token, or why it is refused. Reads the issuer's metadata when it has an authority.</summary>
    public async Task<(LogoutToken? Token, LogoutTokenRefusal? Refusal)> ValidateAsync(string logoutToken, CancellationToken cancellationToken)
    {
        if (Readable(logoutToken) is not { } unverified)
        {
            return Refuse("malformed", "The logout_token is not a signed JWT.");
        }

        if (unverified.Issuer is not { Length: > 0 } issuer || !_clientIds.TryGetValue(issuer, out var clientId))
        {
            return Refuse("issuer", "The logout token's iss is not an issuer this registry accepts logout tokens from.");
        }

        var (verified, refusal) = await VerifyAsync(logoutToken, issuer, clientId, cancellationToken);
        if (verified is null)
        {
            return (null, refusal);
        }

        var now = _time.GetUtcNow();
        var skew = _bearer.Get(JwtBearerDefaults.AuthenticationScheme).TokenValidationParameters.ClockSkew;
        if (!verified.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iatSeconds))
        {
            return Refuse("iat", "The logout token has no iat.");
        }

        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(iatSeconds, 0, DateTimeOffset.MaxValue.ToUnixTimeSeconds()));
        if (issuedAt > now + skew || issuedAt < now - _options.MaxTokenAge - skew)
        {
            return Refuse("iat", "The logout token's iat is outside the window this registry accepts (too old, or in the future).");
        }

        if (!HasLogoutEvent(verified))
        {
            return Refuse("events", $"The logout token's events claim does not hold the member {BackchannelLogoutEvent} with an object value.");
        }

        if (verified.TryGetPayloadValue<object>("nonce", out _))
        {
            return Refuse("nonce", "A logout token must not contain a nonce claim.");
        }

        var sub = StringClaim(verified, JwtRegisteredClaimNames.Sub);
        var sid = StringClaim(verified, "sid");
        if (sub is null && sid is null)
        {
            return Refuse("sub_sid", "The logout token has neither a sub nor a sid claim (strings).");
        }

        if ((sub is not null ? TokenInput.CheckSubject(sub) : null) is { } badSub)
        {
            return Refuse("sub_sid", $"The logout token's sub cannot be revoked: {badSub}");
        }

        if ((sid is not null ? TokenInput.CheckSession(sid) : null) is { } badSid)
        {
            return Refuse("sub_sid", $"The logout token's sid cannot be revoked: {badSid}");
        }

        if (StringClaim(verified, JwtRegisteredClaimNames.Jti) is not { } jti || TokenInput.CheckJti(jti) is not null)
        {
            return Refuse("jti", $"The logout token has no usable jti (1–{TokenInput.MaxJtiLength} characters without control characters).");
        }

        // Past either bound the token is refused anyway, so its jti need not be remembered longer.
        var acceptableUntil = issuedAt + _options.MaxTokenAge + skew;
        if (verified.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var expSeconds)
            && expSeconds < DateTimeOffset.MaxValue.ToUnixTimeSeconds() - (long)skew.TotalSeconds
            && DateTimeOffset.FromUnixTimeSeconds(expSeconds) + skew < acceptableUntil)
        {
            acceptableUntil = DateTimeOffset.FromUnixTimeSeconds(expSeconds) + skew;
        }

        return (new LogoutToken(issuer, jti, sub, sid, issuedAt, acceptableUntil), null);
    }

    private static JsonWebToken? Readable(string token)
    {
        try
        {
            var jwt = new JsonWebToken(token);
            return jwt.IsEncrypted ? null : jwt;
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Signature, issuer, audience, <c>exp</c> and <c>typ</c>, with the bearer scheme's keys of this issuer only.</summary>
    private async Task<(JsonWebToken?, LogoutTokenRefusal?)> VerifyAsync(string token, string issuer, string clientId, CancellationToken cancellationToken)
    {
        var bearer = _bearer.Get(JwtBearerDefaults.AuthenticationScheme);
        var result = await ValidateAsync(token, bearer, issuer, clientId, cancellationToken);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException && bearer.ConfigurationManager is { } metadata)
        {
            // A key the provider rotated in since its JWKS was read: read it again (as JwtBearer
            // does, throttled by the metadata's refresh interval) and try once more.
            metadata.RequestRefresh();
            result = await ValidateAsync(token, bearer, issuer, clientId, cancellationToken);
        }

        if (result.IsValid && result.SecurityToken is JsonWebToken jwt)
        {
            return (jwt, null);
        }

        return (null, result.Exception switch
        {
            SecurityTokenInvalidAudienceException => new LogoutTokenRefusal("aud", "The logout token's aud does not contain this registry's client id at its issuer."),
            SecurityTokenExpiredException => new LogoutTokenRefusal("exp", "The logout token has expired."),
            SecurityTokenInvalidTypeException => new LogoutTokenRefusal("typ", "The logout token's typ header is not logout+jwt."),
            SecurityTokenNotYetValidException => new LogoutTokenRefusal("nbf", "The logout token is not valid yet."),
            SecurityTokenInvalidIssuerException => new LogoutTokenRefusal("issuer", "The logout token's iss is not an issuer this registry accepts logout tokens from."),
            _ => new LogoutTokenRefusal("signature", "The logout token's signature does not verify with its issuer's keys."),
        });
    }

    private async Task<TokenValidationResult> ValidateAsync(string token, JwtBearerOptions bearer, string issuer, string clientId, CancellationToken cancellationToken)
    {
        var parameters = bearer.TokenValidationParameters.Clone();
        if (bearer.ConfigurationManager is { } metadata)
        {
            try
            {
                var configuration = await metadata.GetConfigurationAsync(cancellationToken);
                parameters.IssuerSigningKeys = [.. parameters.IssuerSigningKeys ?? [], .. configuration.SigningKeys];
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The issuer may have static keys; its signature check says whether they were enough.
            }
        }

        parameters.ValidIssuers = [issuer];
        parameters.ValidAudiences = [clientId];
        parameters.AudienceValidator = null;
        parameters.TypeValidator = LogoutTokenType;
        parameters.RequireExpirationTime = false; // §2.4 of the final spec requires exp; older providers omit it
        return await _handler.ValidateTokenAsync(token, parameters);
    }

    /// <summary>§2.4: logout tokens should be typed <c>logout+jwt</c>; an untyped or plain <c>JWT</c> one is accepted, any other type (an access or ID token) refused.</summary>
    private static string LogoutTokenType(string type, SecurityToken token, TokenValidationParameters parameters)
    {
        if (string.IsNullOrEmpty(type) || string.Equals(type, "JWT", StringComparison.OrdinalIgnoreCase)
            || LogoutTokenTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
        {
            return type;
        }

        throw new SecurityTokenInvalidTypeException("Not a logout token type.") { InvalidType = type };
    }

    private static bool HasLogoutEvent(JsonWebToken token)
    {
        if (!token.TryGetPayloadValue<JsonElement>("events", out var events) || events.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        return events.TryGetProperty(BackchannelLogoutEvent, out var logout) && logout.ValueKind == JsonValueKind.Object;
    }

    private static string? StringClaim(JsonWebToken token, string name) =>
        token.TryGetPayloadValue<object>(name, out var value) && value is string text ? text : null;

    private static (LogoutToken?, LogoutTokenRefusal?) Refuse(string reason, string description) => (null, new LogoutTokenRefusal(reason, description));
}
