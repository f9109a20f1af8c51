namespace Revocation.Silo.Dashboard;

/// <summary>The Orleans Dashboard on this silo, bound from the <c>Dashboard</c> section. Off by default.</summary>
public sealed class DashboardHostingOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>
    /// Collects the dashboard's data on this silo and serves the dashboard on <see cref="Url"/>.
    /// Every silo of a cluster must have the same value: the dashboard asks each silo for its part.
    /// The default is <c>false</c>.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Where the dashboard is served, on a port of its own that answers nothing else (the silo's
    /// <c>/health</c> and <c>/metrics</c> stay on its <c>Urls</c>, which answer no dashboard path).
    /// An http or https URL with an explicit port; outside Development its host must be a loopback
    /// address, so that only someone already authenticated on the machine (SSH, <c>kubectl
    /// port-forward</c>) reaches it. The default is <c>http://127.0.0.1:11081</c>.
    /// </summary>
    public string Url { get; set; } = "http://127.0.0.1:11081";

    /// <summary>
    /// Whether the dashboard's method profiler times the check path's grain calls
    /// (<c>ITokenGrain.IsRevokedAsync</c>, <c>ISubjectGrain.GetStatusAsync</c>) while a dashboard is
    /// open. Off, they are left out of its call rates and latencies (the API nodes' and silos' metrics
    /// count them); everything else is profiled. The default is <c>false</c>.
    /// </summary>
    public bool ProfileChecks { get; set; }
}
