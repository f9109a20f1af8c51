using Revocation.Abstractions;

namespace Revocation.Grains;

/// <summary>
/// What differs between the kinds of <see cref="RevocationRowGrain"/>: a token revoked by (iss, jti),
/// a session revoked by (iss, sid).
/// </summary>
/// <param name="Noun">How logs and errors name one of them (<c>token</c>, <c>session</c>).</param>
/// <param name="Field">The claim of the key's value (<c>jti</c>, <c>sid</c>), as <see cref="TokenInputException.Field"/> names it.</param>
/// <param name="CheckValue">The input rule of the key's value (<see cref="TokenInput"/>).</param>
/// <param name="Notice">The notice that tells API nodes of a revocation of (issuer, value) kept until an instant.</param>
public sealed record RevocationRowKind(
    string Noun, string Field, Func<string?, string?> CheckValue, Func<string, string, DateTimeOffset, RevocationNotice> Notice)
{
    /// <summary>Tokens by (iss, jti), in <c>revoked_tokens</c>.</summary>
    public static RevocationRowKind Token { get; } = new("token", "jti", TokenInput.CheckJti, RevocationNotice.Token);

    /// <summary>Sessions by (iss, sid), in <c>revoked_sessions</c>.</summary>
    public static RevocationRowKind Session { get; } = new("session", "sid", TokenInput.CheckSession, RevocationNotice.Session);

    /// <summary>Why a grain key is no (issuer, value) key of this kind; <c>null</c> when it is one.</summary>
    public string? KeyError(string grainKey, out IssuerKey key)
    {
        if (!IssuerKey.TryParse(grainKey, out key))
        {
            return $"The {Noun} grain's key is not an issuer-scoped key (<length>:<iss><{Field}>).";
        }

        return TokenInput.CheckIssuer(key.Issuer) ?? CheckValue(key.Value);
    }
}
