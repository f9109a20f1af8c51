using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Revocation.Api.Hosting;

/// <summary>
/// The management port (<see cref="ManagementOptions.Url"/>): binding it next to the API URLs, and
/// keeping operational endpoints and API endpoints each on their own port.
/// </summary>
public static class ManagementPort
{
    /// <summary>The port of a management URL, or <c>null</c> if it is not an http(s) URL with an explicit port.</summary>
    public static int? TryParse(string url)
    {
        try
        {
            var address = BindingAddress.Parse(url);
            var isHttp = string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase)
                || string.Equals(address.Scheme, "https", StringComparison.OrdinalIgnoreCase);
            // BindingAddress falls back to 80/443 without a port: the management port must be chosen.
            var explicitPort = url.AsSpan(address.Scheme.Length + "://".Length + address.Host.Length).StartsWith(":");
            return isHttp && !address.IsUnixPipe && explicitPort && address.Port is > 0 and <= 65535 ? address.Port : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Adds the management URL to the addresses Kestrel binds, after the API URLs the host would
    /// have bound on its own (<c>urls</c>, <c>http_ports</c>/<c>https_ports</c>, else Kestrel's
    /// default): filling the address list here stops the host from filling it later.
    /// </summary>
    public static void Bind(WebApplication app, string managementUrl)
    {
        if (app.Urls.Count == 0)
        {
            foreach (var url in ApiUrls(app.Configuration))
            {
                app.Urls.Add(url);
            }
        }

        app.Urls.Add(managementUrl);
        var port = TryParse(managementUrl)!.Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ManagementPort).FullName!);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            // Endpoints set in code or in Kestrel:Endpoints replace the URL list, this one included.
            var bound = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            if (!bound.Any(a => TryParse(a) == port))
            {
                ApiLog.ManagementUrlNotBound(logger, managementUrl);
            }
        });
    }

    private static string[] ApiUrls(IConfiguration configuration)
    {
        var urls = configuration[WebHostDefaults.ServerUrlsKey];
        if (string.IsNullOrWhiteSpace(urls))
        {
            var http = (configuration[WebHostDefaults.HttpPortsKey] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => $"http://*:{p}");
            var https = (configuration[WebHostDefaults.HttpsPortsKey] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => $"https://*:{p}");
            urls = string.Join(';', http.Concat(https));
        }

        return string.IsNullOrWhiteSpace(urls)
            ? ["http://localhost:5000"] // what Kestrel binds when nothing is configured
            : urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>
    /// Answers 404 for an operational endpoint reached on the API port, and for anything but an
    /// operational endpoint reached on the management port. Runs after routing (the endpoint is
    /// known) and before authentication (no token is looked at for a request refused here).
    /// </summary>
    public static WebApplication UseManagementPort(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ManagementOptions>>().Value;
        if (options.Url is null)
        {
            return app;
        }

        var port = TryParse(options.Url)!.Value;
        Bind(app, options.Url);
        app.Use((context, next) =>
        {
            var management = context.GetEndpoint()?.Metadata.GetMetadata<ManagementEndpoint>();
            var onManagementPort = context.Connection.LocalPort == port;
            var allowed = onManagementPort ? management is not null : management is null || management.AlsoOnApiPort;
            if (!allowed)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
        return app;
    }
}
