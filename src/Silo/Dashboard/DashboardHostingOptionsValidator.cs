using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Revocation.Silo.Dashboard;

/// <summary>
/// Checks the <c>Dashboard</c> settings of an enabled dashboard: a URL with a port of its own, and
/// outside Development a loopback host, because the dashboard asks for no credential.
/// </summary>
/// <param name="environment">Development allows any host (a developer's machine, a demo network).</param>
/// <param name="configuration">The silo's own <c>Urls</c>, which the dashboard port must not share.</param>
public sealed class DashboardHostingOptionsValidator(IHostEnvironment environment, IConfiguration configuration)
    : IValidateOptions<DashboardHostingOptions>
{
    private const string Setting = $"{DashboardHostingOptions.SectionName}:{nameof(DashboardHostingOptions.Url)}";

    public ValidateOptionsResult Validate(string? name, DashboardHostingOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        if (DashboardPort.TryParse(options.Url) is not { } address)
        {
            return ValidateOptionsResult.Fail(
                $"{Setting} must be an http or https URL with an explicit port between 1 and 65535, e.g. http://127.0.0.1:11081 (was '{options.Url}').");
        }

        var failures = new List<string>();
        if (!environment.IsDevelopment() && !IsLoopback(address.Host))
        {
            failures.Add(
                $"{Setting} must be on a loopback address (127.0.0.1, [::1] or localhost) outside Development (was '{options.Url}'): "
                + "the dashboard asks for no credential, so it is reached only through a tunnel that authenticates the operator (ssh -L, kubectl port-forward).");
        }

        var siloUrls = configuration[WebHostDefaults.ServerUrlsKey] ?? "";
        if (siloUrls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(url => DashboardPort.TryParse(url)?.Port == address.Port))
        {
            failures.Add($"{Setting} must have a port of its own; {address.Port} is one of the silo's Urls ('{siloUrls}'), which serve /health and /metrics.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
