using Microsoft.Extensions.Options;

namespace Revocation.Api.Registry;

internal sealed class LogoutEverywhereOptionsValidator : IValidateOptions<LogoutEverywhereOptions>
{
    internal static readonly TimeSpan MaxIssuerClockMargin = TimeSpan.FromSeconds(10);
    internal static readonly TimeSpan MinIssuerClockWindow = TimeSpan.FromMinutes(1);
    internal static readonly TimeSpan MaxIssuerClockWindow = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, LogoutEverywhereOptions options)
    {
        const string S = LogoutEverywhereOptions.SectionName;
        var failures = new List<string>();

        // Every subject-wide revocation waits this long: a large value would stall the endpoint.
        if (options.IssuerClockMargin < TimeSpan.Zero || options.IssuerClockMargin > MaxIssuerClockMargin)
        {
            failures.Add($"{S}:{nameof(options.IssuerClockMargin)} must be between 00:00:00 and {MaxIssuerClockMargin} (was {options.IssuerClockMargin}).");
        }

        if (options.IssuerClockWindow < MinIssuerClockWindow || options.IssuerClockWindow > MaxIssuerClockWindow)
        {
            failures.Add($"{S}:{nameof(options.IssuerClockWindow)} must be between {MinIssuerClockWindow} and {MaxIssuerClockWindow} (was {options.IssuerClockWindow}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
