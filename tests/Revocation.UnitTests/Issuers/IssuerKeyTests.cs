using Revocation.Abstractions;

namespace Revocation.UnitTests.Issuers;

/// <summary>
/// The one grain-key encoding of (issuer, value): every pair round-trips, two pairs never share a
/// key whatever their characters, and only the strings it writes read back.
/// </summary>
public sealed class IssuerKeyTests
{
    public static TheoryData<string, string> HostilePairs => new()
    {
        { "https://idp.example", "alice" },
        { "", "" },
        { "", "alice" },
        { "https://idp.example", "" },
        { "a:b", "c:d" },
        { "3:abc", "1:x" },
        { "https://idp.example/realms/a|b", "|||" },
        { "https://idp.example/", "/sub" },
        { "0", "0" },
        { "12:", "34:" },
        { "émetteur-ü-東京", "ユーザー-😀" },
        { "\uD83D\uDE00", "\uD83D" }, // a surrogate pair, then half of one
        { new string('i', TokenInput.MaxIssuerLength), new string('v', TokenInput.MaxJtiLength) },
        { new string(':', 1000), new string('9', 1000) },
        { "iss\twith\ncontrols\0", "value\r\n" },
    };

    [Theory]
    [MemberData(nameof(HostilePairs))]
    public void ToGrainKey_ParsesBackToTheSamePair(string issuer, string value)
    {
        var key = new IssuerKey(issuer, value);

        Assert.True(IssuerKey.TryParse(key.ToGrainKey(), out var parsed));
        Assert.Equal(key, parsed);
        Assert.Equal(key, IssuerKey.Parse(key.ToGrainKey()));
    }

    [Fact]
    public void DifferentPairs_NeverShareAKey_EvenWhereTheirConcatenationsAreEqual()
    {
        // "ab" + "c" and "a" + "bc": a bare separator or plain concatenation would collide here.
        var pairs = HostilePairs.Select(row => new IssuerKey((string)row[0], (string)row[1]))
            .Concat([new("ab", "c"), new("a", "bc"), new("a:", "b"), new("a", ":b"), new("1:a", ""), new("", "1:a")])
            .ToList();

        var keys = pairs.Select(p => p.ToGrainKey()).ToList();

        Assert.Equal(pairs.Count, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Key_IsTheIssuersLengthThenTheIssuerThenTheValue()
    {
        Assert.Equal("19:https://idp.examplealice", new IssuerKey("https://idp.example", "alice").ToGrainKey());
        Assert.Equal("0:alice", new IssuerKey("", "alice").ToGrainKey());
        Assert.Equal("2:東京x", new IssuerKey("東京", "x").ToGrainKey());
    }

    [Theory]
    [InlineData("")]
    [InlineData("alice")] // a bare key of before issuer-scoped keys
    [InlineData(":alice")]
    [InlineData("x:alice")]
    [InlineData("-1:alice")]
    [InlineData("+5:alice")]
    [InlineData("05:alicebob")] // leading zero: not what ToGrainKey writes
    [InlineData("6:alice")] // the issuer runs past the end
    [InlineData("9999999999:a")] // more digits than any key has
    [InlineData("١:a")] // a digit, but not an ASCII one
    public void StringsItDoesNotWrite_AreNotKeys(string text)
    {
        Assert.False(IssuerKey.TryParse(text, out _));
        Assert.Throws<FormatException>(() => IssuerKey.Parse(text));
    }

    [Fact]
    public void Null_IsNotAKey() => Assert.False(IssuerKey.TryParse(null, out _));

    [Fact]
    public void EqualPairs_AreEqualAndHashAlike_ComparedOrdinally()
    {
        Assert.Equal(new IssuerKey("https://a", "x"), new IssuerKey("https://" + "a", "x"));
        Assert.Equal(new IssuerKey("https://a", "x").GetHashCode(), new IssuerKey("https://" + "a", "x").GetHashCode());
        Assert.NotEqual(new IssuerKey("https://A", "x"), new IssuerKey("https://a", "x"));
        Assert.NotEqual(new IssuerKey("https://a", "X"), new IssuerKey("https://a", "x"));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("https://idp.example", true)]
    [InlineData("bad\nissuer", false)]
    public void IssuerRules_AllowEmpty_RefuseControlCharacters(string issuer, bool valid) =>
        Assert.Equal(valid, TokenInput.CheckIssuer(issuer) is null);

    [Fact]
    public void IssuerRules_RefuseOneCharacterPastTheLimit()
    {
        Assert.Null(TokenInput.CheckIssuer(new string('i', TokenInput.MaxIssuerLength)));
        Assert.Contains("at most 256", TokenInput.CheckIssuer(new string('i', TokenInput.MaxIssuerLength + 1)));
    }
}
