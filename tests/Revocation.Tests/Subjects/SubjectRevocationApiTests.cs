using System.Net;
using System.Text.Json;
using Revocation.Tests.Infrastructure;

namespace Revocation.Tests.Subjects;

/// <summary>"Log out everywhere" through every API path.</summary>
[Trait("Category", "Integration")]
[Collection(ApiCollection.Name)]
public sealed class SubjectRevocationApiTests(ApiNode api)
{
    /// <summary>The silos run with the default issuer clock margin.</summary>
    private static readonly TimeSpan Margin = new Revocation.Grains.SubjectRevocationOptions().IssuerClockMargin;

    private async Task<DateTimeOffset> NotBeforeAsync(string sub)
    {
        using var response = await api.SendAsync(ApiNode.Get($"/admin/subjects/{sub}", api.AdminToken()));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("notBefore").GetDateTimeOffset();
    }

    /// <summary>A token of <paramref name="sub"/> whose issuer stamped it <paramref name="issuedAt"/>.</summary>
    private string MintIssuedAt(string sub, DateTimeOffset issuedAt) =>
        api.Tokens.Mint(sub: sub, overrides: new Dictionary<string, object?> { ["iat"] = issuedAt.ToUnixTimeSeconds() });

    private async Task<bool> IsActiveAsync(string token)
    {
        using var response = await api.SendAsync(ApiNode.ClientPost("/oauth2/introspect", ApiNode.Form(("token", token))));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("active").GetBoolean();
    }

    [Fact]
    public async Task LogoutEverywhere_RejectsEveryEarlierTokenOfTheSubject_AndAcceptsLaterOnes()
    {
        var sub = $"user-{Guid.NewGuid():N}";
        var first = api.Tokens.Mint(sub: sub);
        var second = api.Tokens.Mint(api.Tokens.Rs256, sub: sub);
        var otherSubject = api.Tokens.Mint(sub: $"other-{Guid.NewGuid():N}");

        using var logout = await api.SendAsync(ApiNode.Post("/auth/logout?everywhere=true", first));

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        foreach (var token in new[] { first, second })
        {
            using var me = await api.SendAsync(ApiNode.Get("/me", token));
            Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
            Assert.Contains("The token has been revoked", me.Headers.WwwAuthenticate.ToString());
            Assert.False(await IsActiveAsync(token));
        }

        using var unaffected = await api.SendAsync(ApiNode.Get("/me", otherSubject));
        Assert.Equal(HttpStatusCode.OK, unaffected.StatusCode);

        // Tokens stamped from the not-before on (now + the issuer clock margin, next whole second) are valid.
        var later = MintIssuedAt(sub, await NotBeforeAsync(sub));
        using var laterMe = await api.SendAsync(ApiNode.Get("/me", later));
        Assert.Equal(HttpStatusCode.OK, laterMe.StatusCode);
        Assert.True(await IsActiveAsync(later));
    }

    [Fact]
    public async Task AdminSubjectRevoke_IsShownByStatus_AndEnforced()
    {
        var sub = $"user-{Guid.NewGuid():N}";
        var victim = api.Tokens.Mint(sub: sub);
        var admin = api.AdminToken();

        using var before = await api.SendAsync(ApiNode.Get($"/admin/subjects/{sub}", admin));
        using var revoke = await api.SendAsync(ApiNode.Post($"/admin/subjects/{sub}/revoke", admin));
        using var after = await api.SendAsync(ApiNode.Get($"/admin/subjects/{sub}", admin));
        using var me = await api.SendAsync(ApiNode.Get("/me", victim));

        Assert.Equal("{}", await before.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var notBefore = JsonDocument.Parse(await after.Content.ReadAsStringAsync()).RootElement.GetProperty("notBefore").GetDateTimeOffset();
        Assert.InRange(notBefore, DateTimeOffset.UtcNow + Margin - TimeSpan.FromSeconds(5), DateTimeOffset.UtcNow + Margin + TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task LogoutEverywhere_RevokesATokenFromAnIssuerAheadByTheMargin_AcceptsOneIssuedFromTheNotBeforeOn()
    {
        var sub = $"user-{Guid.NewGuid():N}";
        // Minted just before the logout by an issuer whose clock runs the margin ahead of the silo's.
        var ahead = MintIssuedAt(sub, DateTimeOffset.UtcNow + Margin);

        using var revoke = await api.SendAsync(ApiNode.Post($"/admin/subjects/{sub}/revoke", api.AdminToken()));
        var notBefore = await NotBeforeAsync(sub);
        using var aheadMe = await api.SendAsync(ApiNode.Get("/me", ahead));
        using var lastRevokedMe = await api.SendAsync(ApiNode.Get("/me", MintIssuedAt(sub, notBefore.AddSeconds(-1))));
        using var atNotBeforeMe = await api.SendAsync(ApiNode.Get("/me", MintIssuedAt(sub, notBefore)));

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, aheadMe.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, lastRevokedMe.StatusCode);
        Assert.Equal(HttpStatusCode.OK, atNotBeforeMe.StatusCode);
    }

    [Fact]
    public async Task UnrevokedSubject_CostsOneStorageReadPerActivation_NotPerRequest()
    {
        var sub = "";
        var statements = await DatabaseStatements.DuringAsync(api.Silos.ConnectionString, async () =>
        {
            sub = $"user-{Guid.NewGuid():N}"; // a subject never seen, each time the measurement runs
            for (var i = 0; i < 20; i++)
            {
                using var me = await api.SendAsync(ApiNode.Get("/me", api.Tokens.Mint(sub: sub)));
                Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            }
        });

        // The tests of this collection run one at a time: every grain-state read of the database
        // meanwhile is this subject's (the token grains read revoked_tokens, not grain storage).
        Assert.Equal(1L, statements.Where(s => s.Query.Contains(GrainStateRead, StringComparison.OrdinalIgnoreCase)).Sum(s => s.Calls));

        // A subject never revoked has no row at all: its activation read found nothing, and
        // nothing was written.
        Assert.Equal(0L, await TestPostgres.ScalarAsync<long>(api.Silos.ConnectionString,
            "SELECT count(*) FROM OrleansStorage WHERE GrainIdExtensionString = $1", sub));
    }

    /// <summary>The start of the grain storage's read (<c>ReadFromStorageKey</c>, migration 0002).</summary>
    private const string GrainStateRead = "SELECT PayloadBinary, Version";
}

/// <summary>The not-before outlives the whole cluster: new silos on the same database still enforce it.</summary>
[Trait("Category", "Integration")]
public sealed class SubjectRevocationRestartTests
{
    [Fact]
    public async Task NotBefore_SurvivesAFullSiloRestart()
    {
        using var tokens = new TestTokens();
        var sub = $"user-{Guid.NewGuid():N}";
        var token = tokens.Mint(sub: sub);
        string connectionString;
        await using (var silos = await TestSilos.StartAsync(1, "subject_restart"))
        {
            connectionString = silos.ConnectionString;
            await using var api = new ApiFactory(silos, tokens);
            using var http = api.CreateClient();
            using var logout = await http.SendAsync(ApiNode.Post("/auth/logout?everywhere=true", token));
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        await using var restarted = await TestSilos.StartOnAsync(1, connectionString);
        await using var restartedApi = new ApiFactory(restarted, tokens);
        using var client = restartedApi.CreateClient();

        using var me = await client.SendAsync(ApiNode.Get("/me", token));

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }
}
