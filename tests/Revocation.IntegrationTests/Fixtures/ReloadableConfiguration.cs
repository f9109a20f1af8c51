using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Revocation.IntegrationTests.Fixtures;

/// <summary>
/// Settings a test changes while the node runs, then announces as a configuration reload — what an
/// edit of appsettings.json with <c>reloadOnChange</c> does.
/// </summary>
public sealed class ReloadableConfiguration : ConfigurationProvider, IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    /// <summary>Sets (or with <c>null</c> removes) each value, then raises one reload.</summary>
    public void Reload(params (string Key, string? Value)[] settings)
    {
        foreach (var (key, value) in settings)
        {
            if (value is null)
            {
                Data.Remove(key);
            }
            else
            {
                Data[key] = value;
            }
        }

        try
        {
            OnReload();
        }
        catch (AggregateException ex) when (ex.Flatten().InnerExceptions.All(e => e is OptionsValidationException or InvalidOperationException))
        {
            // The framework's IOptionsMonitor rebuilds its value in its own change listener and throws
            // there when it is invalid (or does not bind). A file watcher raises the reload on a thread-pool task, where
            // that exception goes unobserved; here it reaches the caller, and is dropped likewise.
        }
    }
}
