using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Revocation.Api.CheckModes;

/// <summary>
/// The check mode and its pool and cache are built at start. A configuration reload that changes
/// them is logged as needing a restart (the package's own settings that need one are logged by it);
/// the node keeps its start values.
/// </summary>
internal sealed class CheckModeReloadWatch(
    IConfiguration configuration, IOptions<CheckModeOptions> start, ILogger<CheckModeReloadWatch> logger) : IHostedService, IDisposable
{
    private const string S = CheckModeOptions.SectionName;

    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var running = start.Value;
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, () => Compare(running));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _subscription?.Dispose();

    private void Compare(CheckModeOptions running)
    {
        var reloaded = new CheckModeOptions();
        try
        {
            configuration.GetSection(S).Bind(reloaded);
        }
        catch (InvalidOperationException)
        {
            return; // a value that does not bind; the package's own reload names it
        }

        reloaded.Database.ConnectionString ??= running.Database.ConnectionString;
        var changed = new List<string>();
        Note(running.Mode != reloaded.Mode, $"{S}:{nameof(CheckModeOptions.Mode)}");
        Note(running.Database.ConnectionString != reloaded.Database.ConnectionString, $"{S}:Database:{nameof(DatabaseCheckOptions.ConnectionString)}");
        Note(running.Database.MaxPoolSize != reloaded.Database.MaxPoolSize, $"{S}:Database:{nameof(DatabaseCheckOptions.MaxPoolSize)}");
        Note(running.LocalCache.Ttl != reloaded.LocalCache.Ttl, $"{S}:LocalCache:{nameof(LocalCacheCheckOptions.Ttl)}");
        Note(running.LocalCache.SizeLimit != reloaded.LocalCache.SizeLimit, $"{S}:LocalCache:{nameof(LocalCacheCheckOptions.SizeLimit)}");
        if (changed.Count > 0)
        {
            ApiLog.CheckModeReloadNeedsRestart(logger, string.Join(", ", changed), running.Mode);
        }

        void Note(bool differs, string setting)
        {
            if (differs)
            {
                changed.Add(setting);
            }
        }
    }
}
