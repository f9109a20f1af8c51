using System.Net;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Revocation.UnitTests.CheckHook;

/// <summary>
/// Whatever an application configures on JwtBearer, either every validated token is checked or the
/// start fails naming the conflict: the check must never be skipped silently.
/// </summary>
public sealed class RevocationCheckHookTests : IDisposable
{
    private readonly TestTokens _tokens = new();

    [Fact]
    public async Task DefaultEvents_RevokedTokenIsRejected_OtherTokenAccepted()
    {
        await using var app = await CheckedApp.StartAsync(_tokens);

        var (revoked, valid) = Tokens(app);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(app, revoked));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app, valid));
    }

    [Fact]
    public async Task OnTokenValidatedCallingSuccess_RevokedTokenIsStillRejected()
    {
        await using var app = await CheckedApp.StartAsync(_tokens, bearer: options => options.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                context.Success();
                return Task.CompletedTask;
            },
        });

        var (revoked, valid) = Tokens(app);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(app, revoked));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app, valid));
    }

    [Fact]
    public async Task EventsType_RevokedTokenIsStillRejected_AndTheApplicationsEventsRun()
    {
        var events = new SucceedingEvents();
        await using var app = await CheckedApp.StartAsync(
            _tokens,
            bearer: options => options.EventsType = typeof(SucceedingEvents),
            services: services => services.AddSingleton(events));

        var (revoked, valid) = Tokens(app);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(app, revoked));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app, valid));
        Assert.Equal(2, events.Validated);
    }

    [Fact]
    public async Task EventsReplacedAfterTheCheckWasAdded_RevokedTokenIsStillRejected()
    {
        await using var app = await CheckedApp.StartAsync(
            _tokens,
            services: services => services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => o.Events = new JwtBearerEvents()));

        var (revoked, _) = Tokens(app);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(app, revoked));
    }

    [Fact]
    public async Task LegacyTokenValidators_RevokedTokenIsStillRejected()
    {
        await using var app = await CheckedApp.StartAsync(_tokens, bearer: options => options.UseSecurityTokenValidators = true);

        var (revoked, valid) = Tokens(app);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(app, revoked));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app, valid));
    }

    [Fact]
    public async Task ApplicationEvents_KeepTheirEffect()
    {
        await using var app = await CheckedApp.StartAsync(_tokens, bearer: options => options.Events = new JwtBearerEvents
        {
            // The application reads its token from its own header and adds its own challenge header.
            OnMessageReceived = context =>
            {
                context.Token = context.Request.Headers["X-Token"];
                return Task.CompletedTask;
            },
            OnChallenge = context =>
            {
                context.Response.Headers["X-App-Challenge"] = "yes";
                return Task.CompletedTask;
            },
        });
        var (revoked, valid) = Tokens(app);

        using var accepted = await SendWithHeaderAsync(app, valid);
        using var rejected = await SendWithHeaderAsync(app, revoked);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal("yes", rejected.Headers.GetValues("X-App-Challenge").Single());
        Assert.Contains("The token has been revoked", rejected.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task ApplicationFailingTheToken_IsNotCheckedAgain()
    {
        await using var app = await CheckedApp.StartAsync(_tokens, bearer: options => options.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                context.Fail("refused by the application");
                return Task.CompletedTask;
            },
        });

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(app, _tokens.Mint()));
        Assert.Equal(0, app.Registry.Lookups);
    }

    [Fact]
    public async Task ExemptEndpoint_ValidatesTheToken_ButAsksTheRegistryOnlyWhenItsConditionFails()
    {
        await using var app = await CheckedApp.StartAsync(_tokens);
        var (revoked, _) = Tokens(app);
        var expired = _tokens.Mint(overrides: new Dictionary<string, object?> { ["exp"] = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds(), ["nbf"] = DateTimeOffset.UtcNow.AddMinutes(-20).ToUnixTimeSeconds() });

        Assert.Equal(HttpStatusCode.OK, await PostAsync(app, "/exempt", revoked));
        Assert.Equal(0, app.Registry.Lookups);
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(app, "/exempt", expired)); // JwtBearer's validation still runs
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(app, "/exempt?check", revoked));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(app, revoked));
        Assert.Equal(2, app.Registry.Lookups);
    }

    [Fact]
    public async Task SchemeServedByAnotherHandler_StartFailsNamingTheConflict()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => CheckedApp.StartAsync(
            _tokens,
            authentication: auth => auth.AddScheme<JwtBearerOptions, HomeMadeBearerHandler>(JwtBearerDefaults.AuthenticationScheme, _ => { })));

        Assert.Contains($"AddRevocationCheck(\"{JwtBearerDefaults.AuthenticationScheme}\")", error.Message);
        Assert.Contains(typeof(HomeMadeBearerHandler).FullName!, error.Message);
    }

    [Fact]
    public async Task NoSuchScheme_StartFailsNamingIt()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => CheckedApp.StartAsync(
            _tokens,
            authentication: auth => auth.AddJwtBearer("Other")));

        Assert.Contains("there is no authentication scheme named \"Bearer\"", error.Message);
    }

    public void Dispose() => _tokens.Dispose();

    private (string Revoked, string Valid) Tokens(CheckedApp app)
    {
        var revoked = _tokens.Mint();
        app.Registry.Revoke(TestTokens.JtiOf(revoked));
        return (revoked, _tokens.Mint());
    }

    private static async Task<HttpStatusCode> StatusAsync(CheckedApp app, string token)
    {
        using var response = await app.GetMeAsync(token);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> PostAsync(CheckedApp app, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = new("Bearer", token);
        using var response = await app.Http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<HttpResponseMessage> SendWithHeaderAsync(CheckedApp app, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Add("X-Token", token);
        return await app.Http.SendAsync(request);
    }

    /// <summary>An application's events class that vouches for every validated token itself.</summary>
    public sealed class SucceedingEvents : JwtBearerEvents
    {
        private int _validated;

        public int Validated => _validated;

        public override Task TokenValidated(TokenValidatedContext context)
        {
            Interlocked.Increment(ref _validated);
            context.Success();
            return Task.CompletedTask;
        }
    }

    /// <summary>A bearer handler of the application's own, which the check cannot hook.</summary>
    public sealed class HomeMadeBearerHandler(IOptionsMonitor<JwtBearerOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<JwtBearerOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
    }
}
