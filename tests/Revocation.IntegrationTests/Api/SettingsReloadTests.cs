using System.Net;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.Api;

/// <summary>
/// <c>RevocationCheck:*</c> changed while the node runs: an invalid value is refused and the last
/// valid settings stay; a valid one applies to the per-request check and to the endpoints alike.
/// The tests share one node and each leaves the settings as it found them.
/// </summary>
[Collection(SettingsReloadCollection.Name)]
public sealed class SettingsReloadTests(ReloadableApiNode node) : IClassFixture<ReloadableApiNode>
{
    private readonly TestTokens _tokens = node.Tokens;
    private readonly ReloadableConfiguration _settings = node.Settings;
    private readonly ApiFactory _api = node.Api;
    private readonly HttpClient _http = node.Http;

    private async Task<HttpStatusCode> SendAsync(HttpRequestMessage request)
    {
        using (request)
        using (var response = await _http.SendAsync(request))
        {
            return response.StatusCode;
        }
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private static double Increase(MetricsScrape before, MetricsScrape after, string name, params (string Name, string Value)[] labels) =>
        after.Value(name, labels) - before.Value(name, labels);

    [Theory]
    [InlineData("RevocationCheck:Timeout", "00:05:00")] // fails validation (at most 30 s)
    [InlineData("RevocationCheck:Timeout", "soon")] // does not bind
    [InlineData("RevocationCheck:FailurePolicy", "FailSideways")] // does not bind
    [InlineData("RevocationCheck:CheckSubject", "maybe")] // does not bind
    [InlineData("RevocationCheck:NearCache:SizeLimit", "0")] // fails validation, and would need a restart anyway
    public async Task InvalidReload_IsRefusedNamingTheSetting_AndRequestsKeepWorking(string key, string value)
    {
        var revoked = _tokens.Mint();
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(ApiNode.Post("/auth/logout", revoked)));

        _settings.Reload((key, value));
        try
        {
            Assert.Equal(HttpStatusCode.OK, await SendAsync(ApiNode.Get("/me", _tokens.Mint())));
            Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(ApiNode.Get("/me", revoked)));
            Assert.Equal(HttpStatusCode.NoContent, await SendAsync(ApiNode.Post("/auth/logout", _tokens.Mint())));
            Assert.Equal(HttpStatusCode.NoContent, await SendAsync(ApiNode.Post("/auth/logout?everywhere=true", _tokens.Mint(sub: Unique("all")))));
            Assert.Contains(_api.Logs.Lines, line => line.StartsWith("Error ", StringComparison.Ordinal)
                && line.Contains("settings refused", StringComparison.Ordinal) && line.Contains(key, StringComparison.Ordinal));
        }
        finally
        {
            _settings.Reload((key, null));
        }
    }

    [Fact]
    public async Task CheckSubjectReload_AppliesToTheCheckAndToLogoutEverywhereAlike()
    {
        var withoutIat = new Dictionary<string, object?> { ["iat"] = null };
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(ApiNode.Get("/me", _tokens.Mint(overrides: withoutIat)))); // subject rule on: iat required

        _settings.Reload(("RevocationCheck:CheckSubject", "false"));
        try
        {
            // Off: the check stops requiring iat, and "log out everywhere" is refused rather than acknowledged and not enforced.
            Assert.Equal(HttpStatusCode.OK, await SendAsync(ApiNode.Get("/me", _tokens.Mint(overrides: withoutIat))));
            Assert.Equal(HttpStatusCode.Conflict, await SendAsync(ApiNode.Post("/auth/logout?everywhere=true", _tokens.Mint(sub: Unique("off")))));
            Assert.Equal(HttpStatusCode.Conflict, await SendAsync(ApiNode.Post($"/admin/subjects/{Unique("off")}/revoke", _tokens.Mint(scope: "admin"))));
        }
        finally
        {
            _settings.Reload(("RevocationCheck:CheckSubject", null));
        }

        // On again: both follow.
        var sub = Unique("on");
        var token = _tokens.Mint(sub: sub);
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(ApiNode.Get("/me", _tokens.Mint(overrides: withoutIat))));
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(ApiNode.Post("/auth/logout?everywhere=true", _tokens.Mint(sub: sub))));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(ApiNode.Get("/me", token)));
    }

    [Fact]
    public async Task FailurePolicyReload_AppliesToChecksAndIntrospections()
    {
        using var management = _api.CreateManagementClient();
        var token = _tokens.Mint();
        var before = await MetricsScrape.TakeAsync(management);

        _settings.Reload(("RevocationCheck:FailurePolicy", "FailOpen"));
        try
        {
            Assert.Equal(HttpStatusCode.OK, await SendAsync(ApiNode.Get("/me", token)));
            Assert.Equal(HttpStatusCode.OK, await SendAsync(ApiNode.ClientPost("/oauth2/introspect", ApiNode.Form(("token", token)))));

            // The metrics carry the policy each check and introspection was decided under.
            var after = await MetricsScrape.TakeAsync(management);
            Assert.Equal(1, Increase(before, after, "revocation_checks_total", ("outcome", "ok"), ("policy", "fail_open")));
            Assert.Equal(1, Increase(before, after, "revocation_introspections_total", ("outcome", "ok"), ("policy", "fail_open")));
        }
        finally
        {
            _settings.Reload(("RevocationCheck:FailurePolicy", null));
        }
    }

    [Fact]
    public async Task ModeReload_IsLoggedAsNeedingARestart_AndNotApplied()
    {
        _settings.Reload(("RevocationCheck:Mode", "Database"), ("RevocationCheck:FailurePolicy", "FailOpen"));
        try
        {
            Assert.Contains(_api.Logs.Lines, line => line.StartsWith("Warning ", StringComparison.Ordinal)
                && line.Contains("need a restart", StringComparison.Ordinal) && line.Contains("RevocationCheck:Mode", StringComparison.Ordinal));

            // Still the Grain mode, subject rule included (Database would turn it off); the rest of the reload applies.
            Assert.Equal(HttpStatusCode.NoContent, await SendAsync(ApiNode.Post("/auth/logout?everywhere=true", _tokens.Mint(sub: Unique("mode")))));
            Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(ApiNode.Get("/me", _tokens.Mint(overrides: new Dictionary<string, object?> { ["iat"] = null }))));
            using var management = _api.CreateManagementClient();
            var before = await MetricsScrape.TakeAsync(management);
            Assert.Equal(HttpStatusCode.OK, await SendAsync(ApiNode.Get("/me", _tokens.Mint())));
            var after = await MetricsScrape.TakeAsync(management);
            Assert.Equal(0, after.Value("revocation_checks_total", ("mode", "database")));
            Assert.Equal(1, Increase(before, after, "revocation_checks_total", ("outcome", "ok"), ("policy", "fail_open")));
        }
        finally
        {
            _settings.Reload(("RevocationCheck:Mode", null), ("RevocationCheck:FailurePolicy", null));
        }
    }
}

/// <summary>
/// Alone, like the metrics collection: its metric deltas would count the checks of tests running
/// alongside (every host exports the same meters), and its own host must not be disposed while
/// another collection reads deltas.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SettingsReloadCollection
{
    public const string Name = "settings reload";
}
