using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Revocation.IntegrationTests.Fixtures;

/// <summary>
/// Sums the registry's counters (e.g. <c>revocation.token_grain.activations</c>) of the given
/// silos only: other tests' silos in this process publish the same instruments from meters of
/// their own factories, told apart by <see cref="Meter.Scope"/>.
/// </summary>
public sealed class SiloInstrumentCounts : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new();

    public SiloInstrumentCounts(IEnumerable<IServiceProvider> silos, params string[] instruments)
    {
        var scopes = silos.Select(s => (object)s.GetRequiredService<IMeterFactory>()).ToHashSet();
        var names = instruments.ToHashSet(StringComparer.Ordinal);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope is { } scope && scopes.Contains(scope) && names.Contains(instrument.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value));
        _listener.Start();
    }

    /// <summary>The sum of <paramref name="instrument"/>'s measurements since this object was created.</summary>
    public long this[string instrument] => _totals.GetValueOrDefault(instrument);

    public void Dispose() => _listener.Dispose();
}
