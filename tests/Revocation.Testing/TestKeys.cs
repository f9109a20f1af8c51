using Revocation.Abstractions;

namespace Revocation.Testing;

/// <summary>Issuer-scoped keys of the tests' own issuer (<see cref="TestTokens.Issuer"/>), which every minted token carries.</summary>
public static class TestKeys
{
    /// <summary>The (issuer, value) pair of <paramref name="value"/>.</summary>
    public static IssuerKey Scoped(string value) => new(TestTokens.Issuer, value);

    /// <summary>The grain key of <paramref name="value"/>, without the client's input checks (a test of the grain's own).</summary>
    public static string Of(string value) => Scoped(value).ToGrainKey();
}
