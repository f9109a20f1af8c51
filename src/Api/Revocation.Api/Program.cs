using Revocation.Api.Authentication;
using Revocation.Api.Endpoints;
using Revocation.Api.Gateway;
using Revocation.Api.Hosting;
using Revocation.Api.SharedSignals;
using Revocation.Api.Oidc;
using Revocation.Hosting;

// `Revocation.Api health [url]`: the image's health check (no curl in the image).
if (args is [HealthProbe.Command, ..])
{
    return await HealthProbe.RunAsync(args[1..], Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddApiServices();
builder.AddRegistryClient();
builder.AddTokenAuthentication();
builder.AddSharedSignals();
builder.AddBackchannelLogout();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseManagementPort();
app.UseRateLimiter(); // before authentication: a refused request costs no token validation
app.UseAuthentication();
app.UseAuthorization();

app.MapOperationalEndpoints();
app.MapAuthApi();
app.MapOAuthApi();
app.MapAdminApi();
app.MapForwardAuthApi();
app.MapSharedSignalsApi();
app.MapBackchannelLogoutApi();
app.Run();
return 0;

/// <summary>The API node's entry point (public for WebApplicationFactory).</summary>
public partial class Program;
