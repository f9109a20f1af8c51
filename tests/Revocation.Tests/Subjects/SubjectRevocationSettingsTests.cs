using System.Globalization;
using Revocation.Api.Registry;
using Revocation.Grains;

namespace Revocation.Tests.Subjects;

/// <summary>The settings of "log out everywhere" on the silo and on the API node: defaults, ranges, the silo's range check.</summary>
[Trait("Category", "Unit")]
public sealed class SubjectRevocationSettingsTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static TimeSpan Span(string value) => TimeSpan.Parse(value, CultureInfo.InvariantCulture);

    [Fact]
    public void Defaults_AreDocumentedValues_AndValid()
    {
        var silo = new SubjectRevocationOptions();
        var api = new LogoutEverywhereOptions();

        Assert.Equal(TimeSpan.FromMinutes(10), silo.MaxIssuerClockOffset);
        Assert.Equal(TimeSpan.FromMinutes(10), silo.NotBeforeMaxAge);
        Assert.Equal(TimeSpan.FromSeconds(1.5), api.IssuerClockMargin);
        Assert.Equal(TimeSpan.FromMinutes(10), api.IssuerClockWindow);
        Assert.True(new SubjectRevocationOptionsValidator().Validate(null, silo).Succeeded);
        Assert.True(new LogoutEverywhereOptionsValidator().Validate(null, api).Succeeded);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public void NotBefore_AsFarFromTheSilosClockAsAllowed_IsAccepted_OneTickFurtherRefusedNamingTheSetting(int direction)
    {
        var options = new SubjectRevocationOptions();
        var furthest = Now + (direction * options.MaxIssuerClockOffset);

        Assert.Null(options.CheckNotBefore(furthest, Now));
        var refusal = options.CheckNotBefore(furthest + TimeSpan.FromTicks(direction), Now);
        Assert.NotNull(refusal);
        Assert.Contains("SubjectRevocation:MaxIssuerClockOffset", refusal);
    }

    [Theory]
    [InlineData("MaxIssuerClockOffset", "00:00:00.9990000")]
    [InlineData("MaxIssuerClockOffset", "01:00:01")]
    [InlineData("NotBeforeMaxAge", "-00:00:01")]
    public void SiloSettingOutOfRange_IsRefusedNamingIt(string setting, string value)
    {
        var options = new SubjectRevocationOptions();
        typeof(SubjectRevocationOptions).GetProperty(setting)!.SetValue(options, Span(value));

        var result = new SubjectRevocationOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains($"SubjectRevocation:{setting} must be", result.FailureMessage);
    }

    [Fact]
    public void NotBeforeMaxAgeZero_ReadsOnEveryCheck_AndIsValid() =>
        Assert.True(new SubjectRevocationOptionsValidator().Validate(null, new SubjectRevocationOptions { NotBeforeMaxAge = TimeSpan.Zero }).Succeeded);

    [Theory]
    [InlineData("IssuerClockMargin", "-00:00:00.0010000")]
    [InlineData("IssuerClockMargin", "00:00:10.0010000")]
    [InlineData("IssuerClockWindow", "00:00:59")]
    [InlineData("IssuerClockWindow", "01:00:01")]
    public void ApiSettingOutOfRange_IsRefusedNamingIt(string setting, string value)
    {
        var options = new LogoutEverywhereOptions();
        typeof(LogoutEverywhereOptions).GetProperty(setting)!.SetValue(options, Span(value));

        var result = new LogoutEverywhereOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains($"LogoutEverywhere:{setting} must be between", result.FailureMessage);
    }
}
