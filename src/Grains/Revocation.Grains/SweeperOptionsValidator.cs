using Microsoft.Extensions.Options;
using Orleans.Hosting;

namespace Revocation.Grains;

/// <param name="reminders">Orleans' reminder settings: the sweep period may not be shorter than their minimum.</param>
public sealed class SweeperOptionsValidator(IOptions<ReminderOptions> reminders) : IValidateOptions<SweeperOptions>
{
    /// <summary>Against Orleans' default minimum reminder period (1 minute).</summary>
    public SweeperOptionsValidator()
        : this(Options.Create(new ReminderOptions()))
    {
    }

    public ValidateOptionsResult Validate(string? name, SweeperOptions options)
    {
        const string S = SweeperOptions.SectionName;
        var failures = new List<string>();
        var minimum = reminders.Value.MinimumReminderPeriod;
        if (options.Period < minimum)
        {
            failures.Add($"{S}:{nameof(options.Period)} must be at least {minimum}, Orleans' minimum reminder period (Reminders:MinimumReminderPeriod) (was {options.Period}).");
        }

        if (options.DueTime < TimeSpan.Zero)
        {
            failures.Add($"{S}:{nameof(options.DueTime)} must not be negative (was {options.DueTime}).");
        }

        if (options.BatchSize is < 1 or > 1_000_000)
        {
            failures.Add($"{S}:{nameof(options.BatchSize)} must be between 1 and 1000000 (was {options.BatchSize}).");
        }

        if (options.TimeBudget <= TimeSpan.Zero)
        {
            failures.Add($"{S}:{nameof(options.TimeBudget)} must be positive (was {options.TimeBudget}).");
        }

        if (options.BatchTimeout <= TimeSpan.Zero || options.BatchTimeout > SweeperOptions.MaxBatchTimeout)
        {
            failures.Add($"{S}:{nameof(options.BatchTimeout)} must be positive and at most {SweeperOptions.MaxBatchTimeout} (was {options.BatchTimeout}).");
        }

        if (options.Grace < TimeSpan.Zero)
        {
            failures.Add($"{S}:{nameof(options.Grace)} must not be negative (was {options.Grace}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
