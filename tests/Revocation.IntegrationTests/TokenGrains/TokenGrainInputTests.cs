using Revocation.Abstractions;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.TokenGrains;

/// <summary>Invalid input is refused with an argument error naming the field, and writes nothing.</summary>
[Collection(TwoSiloCollection.Name)]
public sealed class TokenGrainInputTests(TwoSiloCluster registry)
{
    public static TheoryData<string, string> InvalidJtis => new()
    {
        { new string('j', TokenInput.MaxJtiLength + 1), "at most 256" },
        { "abc\u0000def", "control characters" },
        { "line\nbreak", "control characters" },
        { "tab\tinside", "control characters" },
        { "bell\u0007", "control characters" },
        { "del\u007f", "control characters" },
    };

    [Theory]
    [MemberData(nameof(InvalidJtis))]
    public async Task InvalidJti_ReachingTheGrain_IsRefusedBeforeAnyDatabaseAccess(string jti, string expected)
    {
        // GetGrain, not GetTokenGrain: the grain must defend itself against callers that skip the check.
        var grain = registry.Client.GetGrain<ITokenGrain>(TestKeys.Of(jti));

        var read = await Assert.ThrowsAsync<TokenInputException>(async () => await grain.IsRevokedAsync());
        var write = await Assert.ThrowsAsync<TokenInputException>(() => grain.RevokeAsync(DateTimeOffset.UtcNow.AddHours(1), null));

        Assert.Equal("jti", read.ParamName);
        Assert.Contains(expected, read.Message);
        Assert.Equal("jti", write.ParamName);
        Assert.Equal(0, registry.Calls.Reads(jti));
        Assert.Equal(0, registry.Calls.Writes(jti));
        Assert.Equal(0, await registry.RowCountAsync(jti));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\u0001")]
    public void InvalidJti_IsRefusedByTheClientBeforeAnyCall(string jti)
    {
        var error = Assert.Throws<TokenInputException>(() => registry.Client.GetTokenGrain(TestTokens.Issuer, jti));

        Assert.Equal("jti", error.ParamName);
    }

    [Fact]
    public async Task LongestValidJti_IsAccepted()
    {
        var jti = RegistryCluster.NewJti().PadRight(TokenInput.MaxJtiLength, 'x');
        var grain = registry.Client.GetTokenGrain(TestTokens.Issuer, jti);

        await grain.RevokeAsync(DateTimeOffset.UtcNow.AddHours(1), new string('r', TokenInput.MaxReasonLength));

        Assert.True(await grain.IsRevokedAsync());
        Assert.Equal(1, await registry.RowCountAsync(jti));
    }

    [Fact]
    public async Task Revoke_WithOversizedReason_IsRefusedAndWritesNothing()
    {
        var jti = RegistryCluster.NewJti();
        var grain = registry.Client.GetTokenGrain(TestTokens.Issuer, jti);

        var error = await Assert.ThrowsAsync<TokenInputException>(
            () => grain.RevokeAsync(DateTimeOffset.UtcNow.AddHours(1), new string('r', TokenInput.MaxReasonLength + 1)));

        Assert.Equal("reason", error.ParamName);
        Assert.Contains("at most 512", error.Message);
        Assert.False(await grain.IsRevokedAsync());
        Assert.Equal(0, registry.Calls.Writes(jti));
        Assert.Equal(0, await registry.RowCountAsync(jti));
    }

    [Theory]
    [InlineData("x' OR '1'='1")]
    [InlineData("'; DROP TABLE revoked_tokens; --")]
    [InlineData("ünïcødé-jti-🔑")]
    public async Task UnusualButValidJti_IsStoredVerbatim(string prefix)
    {
        var jti = prefix + Guid.NewGuid().ToString("N");

        await registry.Client.GetTokenGrain(TestTokens.Issuer, jti).RevokeAsync(DateTimeOffset.UtcNow.AddHours(1), null);

        Assert.Equal(1, await registry.RowCountAsync(jti));
        Assert.True(await registry.SiloGrains(1).GetTokenGrain(TestTokens.Issuer, jti).IsRevokedAsync());
    }
}
