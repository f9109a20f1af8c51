using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using Revocation.AspNetCore.Lookups;
using Revocation.AspNetCore;

namespace Revocation.UnitTests.CheckHook;

/// <summary>
/// An ordinary application with its own JwtBearer setup and <c>AddRevocationCheck()</c>, in memory,
/// its lookup replaced by <see cref="RevokedJtis"/>: what the check does with the application's events.
/// </summary>
internal sealed class CheckedApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CheckedApp(WebApplication app, RevokedJtis registry)
    {
        _app = app;
        Registry = registry;
        Http = app.GetTestClient();
    }

    public RevokedJtis Registry { get; }

    public HttpClient Http { get; }

    /// <summary>Builds and starts the application with its own bearer settings, services and schemes.</summary>
    public static async Task<CheckedApp> StartAsync(
        TestTokens tokens,
        Action<JwtBearerOptions>? bearer = null,
        Action<IServiceCollection>? services = null,
        Action<Microsoft.AspNetCore.Authentication.AuthenticationBuilder>? authentication = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var registry = new RevokedJtis();
        builder.Services.AddSingleton<IRevocationLookup>(registry);
        var auth = builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme);
        if (authentication is not null)
        {
            authentication(auth);
        }
        else
        {
            auth.AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = TestTokens.Issuer,
                    ValidAudience = TestTokens.Audience,
                    IssuerSigningKey = new SymmetricSecurityKey(tokens.HmacKey),
                };
                bearer?.Invoke(options);
            });
        }

        auth.AddRevocationCheck(configure: o => o.CheckSubject = false);

        // After the check: what an application configures later must not undo it.
        services?.Invoke(builder.Services);
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/me", (HttpContext context) => context.User.FindFirst("sub")?.Value ?? "").RequireAuthorization();
        // Exempt from the check unless the query has "check" (as the API's plain logout is without everywhere/session).
        app.MapPost("/exempt", (HttpContext context) => context.User.FindFirst("sub")?.Value ?? "").RequireAuthorization()
            .WithoutRevocationCheck(request => !request.Query.ContainsKey("check"));
        await app.StartAsync();
        return new CheckedApp(app, registry);
    }

    /// <summary>The application on <paramref name="clock"/>, logging to <paramref name="logs"/>: for tests of what it logs over time.</summary>
    public static Task<CheckedApp> StartLoggingAsync(TestTokens tokens, TimeProvider clock, LogSink logs, Action<IServiceCollection>? services = null) =>
        StartAsync(tokens, services: s =>
        {
            s.Replace(ServiceDescriptor.Singleton(clock));
            s.AddLogging(logging => logging.AddProvider(logs));
            services?.Invoke(s);
        });

    /// <summary>GET /me with <paramref name="token"/>, the response disposed: for tests that only count what the check did.</summary>
    public async Task RequestMeAsync(string token)
    {
        using var response = await GetMeAsync(token);
    }

    public async Task<HttpResponseMessage> GetMeAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Authorization = new("Bearer", token);
        return await Http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
    }
}
