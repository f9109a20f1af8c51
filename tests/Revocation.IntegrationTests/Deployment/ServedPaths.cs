using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Revocation.Api.Hosting;
using Revocation.Silo.Hosting;

namespace Revocation.IntegrationTests.Deployment;

/// <summary>
/// The HTTP paths each program maps, from the same methods its Program calls (the silo's
/// MapSiloEndpoints, the API node's MapOperationalEndpoints), read from the route table without
/// starting anything.
/// </summary>
public static class ServedPaths
{
    public static async Task<IReadOnlySet<string>> SiloAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddSiloEndpoints();
        await using var app = builder.Build();
        app.MapSiloEndpoints();
        return Routes(app);
    }

    public static async Task<IReadOnlySet<string>> ApiAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Services.AddHealthChecks();
        builder.Services.AddOptions<ManagementOptions>();
        await using var app = builder.Build();
        app.MapOperationalEndpoints();
        return Routes(app);
    }

    private static HashSet<string> Routes(IEndpointRouteBuilder app) =>
        app.DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Select(endpoint => "/" + endpoint.RoutePattern.RawText?.TrimStart('/'))
            .ToHashSet(StringComparer.Ordinal);
}
