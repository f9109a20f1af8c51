using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Revocation.AspNetCore;

/// <summary>
/// The one place the revocation check's settings are read from: the check, the lookups and the
/// application's endpoints (e.g. whether "log out everywhere" is enforced here) all see the same,
/// always valid, value.
/// </summary>
/// <remarks>
/// A configuration reload (an edit of appsettings.json, say) is bound and validated like the start
/// value was. An invalid one is refused with an error naming the setting, and the last valid
/// settings stay: reading <see cref="IOptionsMonitor{TOptions}.CurrentValue"/> instead would throw
/// on every request until the file is fixed. Only <see cref="RevocationCheckOptions.Timeout"/>,
/// <see cref="RevocationCheckOptions.FailurePolicy"/>, <see cref="RevocationCheckOptions.RequireJti"/>
/// and <see cref="RevocationCheckOptions.CheckSubject"/> change at run time; the others pick the
/// structures the node builds at start (the near cache, the lease), so a reload that
/// changes them is logged as needing a restart and they keep their start values.
/// </remarks>
internal sealed class RevocationCheckSettings : IHostedService, IDisposable
{
    private const string S = RevocationCheckOptions.SectionName;

    private readonly IOptionsFactory<RevocationCheckOptions> _factory;
    private readonly IValidateOptions<RevocationCheckOptions>[] _validators;
    private readonly ILogger<RevocationCheckSettings> _logger;
    private readonly IDisposable[] _subscriptions;
    private readonly Lock _reloading = new();
    private RevocationCheckOptions _current;

    public RevocationCheckSettings(
        IOptionsFactory<RevocationCheckOptions> factory,
        IEnumerable<IValidateOptions<RevocationCheckOptions>> validators,
        IEnumerable<IOptionsChangeTokenSource<RevocationCheckOptions>> sources,
        ILogger<RevocationCheckSettings> logger)
    {
        _factory = factory;
        _validators = [.. validators];
        _logger = logger;

        // At start an invalid value throws (naming the setting) and stops the node, as ValidateOnStart does.
        _current = factory.Create(Options.DefaultName);
        _subscriptions = [.. sources
            .Where(source => string.IsNullOrEmpty(source.Name))
            .Select(source => ChangeToken.OnChange(source.GetChangeToken, Reload))];
    }

    /// <summary>
    /// The settings in force: validated, with the start values of the settings that need a restart.
    /// Read it once per operation and do not change it.
    /// </summary>
    public RevocationCheckOptions Current => Volatile.Read(ref _current);

    // A hosted service only so that it is created when the node starts: the settings that need a
    // restart are then the ones the node started with, whichever part asks for them first.
    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }

    private void Reload()
    {
        lock (_reloading)
        {
            RevocationCheckOptions reloaded;
            try
            {
                reloaded = _factory.Create(Options.DefaultName);
            }
            catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException)
            {
                // Validation failures name the setting; so do binding failures ("Failed to convert
                // configuration value at 'RevocationCheck:Timeout'…").
                RevocationCheckLog.ReloadRefused(_logger, ex.Message);
                return;
            }

            var running = _current;
            var needRestart = RestartOnlyChanges(running, reloaded);
            var next = new RevocationCheckOptions
            {
                AsksRegistry = running.AsksRegistry,
                NearCache = running.NearCache,
                RequireJti = reloaded.RequireJti,
                CheckSubject = reloaded.CheckSubject,
                Timeout = reloaded.Timeout,
                FailurePolicy = reloaded.FailurePolicy,
            };

            // The reloaded value passed on its own; with the start values of the settings that need a
            // restart it may not, and then nothing of it applies.
            if (_validators.Select(v => v.Validate(Options.DefaultName, next)).FirstOrDefault(r => r.Failed) is { } failure)
            {
                RevocationCheckLog.ReloadRefused(_logger, $"{failure.FailureMessage} (the settings that need a restart keep their start values)");
                return;
            }

            if (needRestart.Count > 0)
            {
                RevocationCheckLog.ReloadNeedsRestart(_logger, string.Join(", ", needRestart));
            }

            Volatile.Write(ref _current, next);
            if (running.RequireJti != next.RequireJti || running.ChecksSubject != next.ChecksSubject
                || running.Timeout != next.Timeout || running.FailurePolicy != next.FailurePolicy)
            {
                RevocationCheckLog.Reloaded(_logger, next.FailurePolicy, next.Timeout, next.RequireJti, next.ChecksSubject);
            }
        }
    }

    /// <summary>The settings whose reloaded value differs from the running one but applies only after a restart.</summary>
    private static List<string> RestartOnlyChanges(RevocationCheckOptions running, RevocationCheckOptions reloaded)
    {
        const string N = $"{S}:{nameof(RevocationCheckOptions.NearCache)}";
        var changed = new List<string>();
        Note(running.NearCache.Enabled != reloaded.NearCache.Enabled, $"{N}:{nameof(reloaded.NearCache.Enabled)}");
        Note(running.NearCache.RenewPeriod != reloaded.NearCache.RenewPeriod, $"{N}:{nameof(reloaded.NearCache.RenewPeriod)}");
        Note(running.NearCache.DriftMargin != reloaded.NearCache.DriftMargin, $"{N}:{nameof(reloaded.NearCache.DriftMargin)}");
        Note(running.NearCache.SizeLimit != reloaded.NearCache.SizeLimit, $"{N}:{nameof(reloaded.NearCache.SizeLimit)}");
        Note(running.NearCache.MaxAge != reloaded.NearCache.MaxAge, $"{N}:{nameof(reloaded.NearCache.MaxAge)}");
        Note(running.NearCache.LeasePartitions != reloaded.NearCache.LeasePartitions, $"{N}:{nameof(reloaded.NearCache.LeasePartitions)}");
        return changed;

        void Note(bool differs, string setting)
        {
            if (differs)
            {
                changed.Add(setting);
            }
        }
    }
}
