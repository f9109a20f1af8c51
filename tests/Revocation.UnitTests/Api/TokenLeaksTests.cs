namespace Revocation.UnitTests.Api;

/// <summary>The log scan of promise 7 finds every kind of token piece, and nothing else.</summary>
public sealed class TokenLeaksTests : IDisposable
{
    private readonly TestTokens _tokens = new();

    public void Dispose() => _tokens.Dispose();

    [Theory]
    [InlineData("the whole token")]
    [InlineData("its header")]
    [InlineData("its payload")]
    [InlineData("its signature")]
    [InlineData("its first 20 characters")]
    [InlineData("16 characters from the middle of its signature")]
    public void PieceOfAKnownToken_IsFound(string piece)
    {
        var token = _tokens.Mint();
        var parts = token.Split('.');
        var text = piece switch
        {
            "the whole token" => token,
            "its header" => parts[0],
            "its payload" => parts[1],
            "its signature" => parts[2],
            "its first 20 characters" => token[..20],
            "16 characters from the middle of its signature" => parts[2].Substring(10, 16),
            _ => throw new ArgumentOutOfRangeException(nameof(piece)),
        };

        var findings = TokenLeaks.Find(_tokens.Minted, [("test log", $"info: something about [{text}] done")]);

        Assert.NotEmpty(findings);
        Assert.All(findings, finding => Assert.StartsWith("test log: ", finding));
    }

    [Fact]
    public void FifteenCharactersOfTheSignature_AreNotEnough()
    {
        var signature = _tokens.Mint().Split('.')[2];

        Assert.Empty(TokenLeaks.Find(_tokens.Minted, [("test log", $"sig [{signature[5..20]}]")]));
    }

    [Fact]
    public void AnyEncodedJsonObject_IsFound_EvenOfATokenNeverSeen()
    {
        using var others = new TestTokens();
        var header = others.Mint().Split('.')[0];

        Assert.NotEmpty(TokenLeaks.Find([], [("test log", $"Authorization: Bearer {header}")]));
    }

    [Fact]
    public void JtiAndOrdinaryLines_AreNotFindings()
    {
        var token = _tokens.Mint();
        string[] lines =
        [
            $"info: Rejected token {TestTokens.JtiOf(token)}: revoked",
            "warn: Orleans.Runtime.Silo[100] Silo S127.0.0.1:11111:123456789 is shutting down",
            $"trace id {Guid.NewGuid():N}{Guid.NewGuid():N}",
        ];

        Assert.Empty(TokenLeaks.Find(_tokens.Minted, lines.Select(line => ("test log", line))));
    }
}
