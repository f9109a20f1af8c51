using System.Globalization;
using Microsoft.Extensions.Options;
using Revocation.Api.Registry;
using Revocation.Grains;

namespace Revocation.UnitTests.Subjects;

/// <summary>The settings of "log out everywhere" on the silo and on the API node: defaults, ranges, the silo's range check.</summary>
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
    [InlineData("SubjectRevocation", "MaxIssuerClockOffset", "00:00:00.9990000")]
    [InlineData("SubjectRevocation", "MaxIssuerClockOffset", "01:00:01")]
    [InlineData("SubjectRevocation", "NotBeforeMaxAge", "-00:00:01")]
    [InlineData("LogoutEverywhere", "IssuerClockMargin", "-00:00:00.0010000")]
    [InlineData("LogoutEverywhere", "IssuerClockMargin", "00:00:10.0010000")]
    [InlineData("LogoutEverywhere", "IssuerClockWindow", "00:00:59")]
    [InlineData("LogoutEverywhere", "IssuerClockWindow", "01:00:01")]
    public void SettingOutOfRange_IsRefusedNamingIt(string section, string setting, string value)
    {
        var result = section == SubjectRevocationOptions.SectionName
            ? Validate(new SubjectRevocationOptionsValidator(), new SubjectRevocationOptions(), setting, value)
            : Validate(new LogoutEverywhereOptionsValidator(), new LogoutEverywhereOptions(), setting, value);

        Assert.True(result.Failed);
        Assert.Contains($"{section}:{setting} must be", result.FailureMessage);
    }

    private static ValidateOptionsResult Validate<TOptions>(IValidateOptions<TOptions> validator, TOptions options, string setting, string value)
        where TOptions : class
    {
        typeof(TOptions).GetProperty(setting)!.SetValue(options, Span(value));
        return validator.Validate(null, options);
    }

    [Fact]
    public void NotBeforeMaxAgeZero_ReadsOnEveryCheck_AndIsValid() =>
        Assert.True(new SubjectRevocationOptionsValidator().Validate(null, new SubjectRevocationOptions { NotBeforeMaxAge = TimeSpan.Zero }).Succeeded);
}
