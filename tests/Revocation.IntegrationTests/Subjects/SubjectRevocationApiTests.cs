using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.Subjects;

/// <summary>
/// "Log out everywhere" through every API path. On an API node of its own: the not-before follows
/// the issuer clock the node learnt from every token it checked, and tests of the shared node send
/// tokens whose <c>iat</c> is seconds in the future (as from an issuer running ahead).
/// </summary>
public sealed class SubjectRevocationApiTests(ApiNode api) : IClassFixture<ApiNode>
{
    /// <summary>The node runs with the default margin: every subject-wide revocation lasts at least this.</summary>
    private static readonly TimeSpan Margin = Revocation.Api.Registry.LogoutEverywhereOptions.DefaultIssuerClockMargin;

    private async Task<DateTimeOffset> NotBeforeAsync(string sub)
    {
        using var response = await api.SendAsync(ApiNode.Get($"/admin/subjects/{sub}", api.AdminToken()));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("notBefore").GetDateTimeOffset();
    }

    private async Task<bool> IsActiveAsync(string token)
    {
        using var response = await api.SendAsync(ApiNode.ClientPost("/oauth2/introspect", ApiNode.Form(("token", token))));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("active").GetBoolean();
    }

    [Fact]
    public async Task LogoutEverywhere_RejectsEveryEarlierTokenOfTheSubject_AndNoOtherSubjects()
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
    }

    /// <summary>
    /// Issue 20: signing in again right after "log out everywhere" was refused for up to ≈6 s. The
    /// logout now lasts at least the margin, and a token issued a second after it returned is valid
    /// at once, while the one minted just before it is not.
    /// </summary>
    [Theory]
    [InlineData("/auth/logout?everywhere=true")]
    [InlineData("/admin/subjects/{0}/revoke")]
    public async Task LogoutEverywhere_LastsTheMargin_AndATokenIssuedASecondAfterItReturnedIsAccepted(string path)
    {
        var sub = $"user-{Guid.NewGuid():N}";
        var token = api.Tokens.Mint(sub: sub);
        var caller = path.Contains("admin", StringComparison.Ordinal) ? api.AdminToken() : token;
        var justBefore = api.Tokens.Mint(sub: sub);

        var started = Stopwatch.GetTimestamp();
        using var logout = await api.SendAsync(ApiNode.Post(string.Format(CultureInfo.InvariantCulture, path, sub), caller));
        var lasted = Stopwatch.GetElapsedTime(started);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var signedInAgain = api.Tokens.Mint(sub: sub);

        Assert.True(logout.IsSuccessStatusCode, $"{logout.StatusCode}");
        Assert.True(lasted >= Margin, $"the logout returned after {lasted}");
        using var again = await api.SendAsync(ApiNode.Get("/me", signedInAgain));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True(await IsActiveAsync(signedInAgain));
        foreach (var earlier in new[] { token, justBefore })
        {
            using var me = await api.SendAsync(ApiNode.Get("/me", earlier));
            Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        }
    }

    [Fact]
    public async Task AdminSubjectRevoke_IsShownByStatus_AndEnforced()
    {
        var sub = $"user-{Guid.NewGuid():N}";
        var victim = api.Tokens.Mint(sub: sub);
        var admin = api.AdminToken();

        using var before = await api.SendAsync(ApiNode.Get($"/admin/subjects/{sub}", admin));
        var sent = DateTimeOffset.UtcNow;
        using var revoke = await api.SendAsync(ApiNode.Post($"/admin/subjects/{sub}/revoke", admin));
        var returned = DateTimeOffset.UtcNow;
        var notBefore = await NotBeforeAsync(sub);
        using var me = await api.SendAsync(ApiNode.Get("/me", victim));

        Assert.Equal("{}", await before.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(notBefore, JsonDocument.Parse(await revoke.Content.ReadAsStringAsync()).RootElement.GetProperty("notBefore").GetDateTimeOffset());
        // The tests' issuer shares this node's clock: the not-before is the node's now + the margin,
        // less what the freshest token fell short by (under a second and its delivery).
        Assert.InRange(notBefore, sent + Margin - TimeSpan.FromSeconds(2), returned);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
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
