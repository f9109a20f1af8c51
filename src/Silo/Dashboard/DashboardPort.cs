using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Revocation.Silo.Dashboard;

/// <summary>
/// The dashboard's own port (<see cref="DashboardHostingOptions.Url"/>): bound next to the silo's
/// <c>Urls</c>, answering the dashboard only, while the silo's <c>Urls</c> answer no dashboard path.
/// </summary>
public static class DashboardPort
{
    /// <summary>The address of an http(s) URL that names its port, or <c>null</c> for anything else.</summary>
    public static BindingAddress? TryParse(string url)
    {
        try
        {
            var address = BindingAddress.Parse(url);
            var http = address.Scheme is "http" or "https";
            // BindingAddress falls back to 80/443 without a port; a dashboard port is chosen, not implied.
            var namesPort = url.AsSpan(address.Scheme.Length + "://".Length + address.Host.Length).StartsWith(":");
            return http && namesPort && !address.IsUnixPipe && address.Port is > 0 and <= 65535 ? address : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Listens on <paramref name="url"/> as well. Adding an address before the start stops the host
    /// from adding the configured <c>Urls</c> itself, so those are added here first.
    /// </summary>
    public static void Bind(WebApplication app, string url)
    {
        if (app.Urls.Count == 0)
        {
            var siloUrls = app.Configuration[WebHostDefaults.ServerUrlsKey];
            // Without Urls Kestrel would have bound its default address; keep that.
            foreach (var siloUrl in string.IsNullOrWhiteSpace(siloUrls) ? ["http://localhost:5000"] : siloUrls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                app.Urls.Add(siloUrl);
            }
        }

        app.Urls.Add(url);
    }

    /// <summary>
    /// Answers 404 for a dashboard path reached on another port and for anything else reached on
    /// the dashboard port. The local port of the connection decides, never the <c>Host</c> header.
    /// </summary>
    /// <param name="app">The silo's web application, after routing (the endpoint is known).</param>
    /// <param name="port">The dashboard port.</param>
    /// <param name="isDashboard">Whether an endpoint belongs to the dashboard.</param>
    public static void Separate(WebApplication app, int port, Func<Endpoint?, bool> isDashboard) =>
        app.Use((context, next) =>
        {
            if (isDashboard(context.GetEndpoint()) != (context.Connection.LocalPort == port))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
}
