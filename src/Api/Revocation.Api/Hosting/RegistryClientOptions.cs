using Revocation.AspNetCore;

namespace Revocation.Api.Hosting;

/// <summary>
/// How this API node reaches the silo cluster (<see cref="RevocationRegistryClientOptions"/>), and
/// the timeouts of its own calls to the registry, bound from the <c>Registry</c> section.
/// </summary>
public sealed class RegistryClientOptions : RevocationRegistryClientOptions
{
    /// <summary>
    /// Timeout for registry calls made by endpoints (logout, admin, revocation). A revocation returns
    /// once every API node with a near-cache lease acknowledged it, which takes up to one lease
    /// (<c>NodeLeases:LeaseDuration</c>, 5 s) when a node is paused, and up to two right after the
    /// lease grain moved to another silo: keep this above twice the lease. The per-request check has
    /// its own, <c>RevocationCheck:Timeout</c>. The default is 15 seconds.
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Timeout of <c>POST /admin/sweeper/run</c>, which lasts as long as the sweep (about the
    /// silo's <c>Sweeper:TimeBudget</c>); at most <see cref="MaxSweepTimeout"/>. The default is 1 minute.
    /// </summary>
    public TimeSpan SweepTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The sweeper's run call's own response timeout (<see cref="Revocation.Abstractions.ISweeperGrain.RunResponseTimeout"/>): a longer wait could never be honoured.</summary>
    public static TimeSpan MaxSweepTimeout { get; } = TimeSpan.Parse(Revocation.Abstractions.ISweeperGrain.RunResponseTimeout, System.Globalization.CultureInfo.InvariantCulture);
}
