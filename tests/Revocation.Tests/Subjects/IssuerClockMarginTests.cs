using Revocation.Grains;

namespace Revocation.Tests.Subjects;

/// <summary>The not-before arithmetic at fixed instants, and the margin's validation.</summary>
[Trait("Category", "Unit")]
public sealed class IssuerClockMarginTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 12, 0, 0, 300, TimeSpan.Zero);

    [Fact]
    public void NotBefore_IsNowPlusTheMargin_RoundedUpToTheNextWholeSecond()
    {
        var options = new SubjectRevocationOptions { IssuerClockMargin = TimeSpan.FromSeconds(5) };

        var notBefore = options.NotBeforeAt(Now);

        Assert.Equal(new DateTimeOffset(2030, 1, 1, 12, 0, 6, TimeSpan.Zero), notBefore);
        // An issuer 5 s ahead minted a token just before the revocation: iat 12:00:05.
        Assert.True(new Abstractions.SubjectStatus(notBefore).Revokes(Now.AddSeconds(5).AddMilliseconds(-300)));
        Assert.False(new Abstractions.SubjectStatus(notBefore).Revokes(notBefore));
    }

    [Fact]
    public void NotBefore_OnAWholeSecond_StillRevokesThatSecond()
    {
        var options = new SubjectRevocationOptions { IssuerClockMargin = TimeSpan.Zero };

        Assert.Equal(new DateTimeOffset(2030, 1, 1, 12, 0, 1, TimeSpan.Zero), options.NotBeforeAt(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void DefaultMargin_IsFiveSeconds_AndValid()
    {
        var options = new SubjectRevocationOptions();

        Assert.Equal(TimeSpan.FromSeconds(5), options.IssuerClockMargin);
        Assert.True(new SubjectRevocationOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("00:05:01")]
    public void MarginOutOfRange_IsRefusedNamingTheSetting(string margin)
    {
        var result = new SubjectRevocationOptionsValidator().Validate(null, new SubjectRevocationOptions { IssuerClockMargin = TimeSpan.Parse(margin, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.True(result.Failed);
        Assert.Contains("SubjectRevocation:IssuerClockMargin must be between", result.FailureMessage);
    }
}
