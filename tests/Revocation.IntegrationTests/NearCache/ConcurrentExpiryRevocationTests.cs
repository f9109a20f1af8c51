using System.Net;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Revocation.Abstractions;

namespace Revocation.IntegrationTests.NearCache;

/// <summary>
/// Two validly signed tokens claim the same jti with different expiries (an issuer that reused a
/// jti, or re-signed a token with a longer life), and both are logged out at the same moment, one
/// through each API node. The revocation must end up covering the later of the acknowledged
/// expiries — the row keeps it (the upsert's GREATEST), the grain keeps it whichever write lands
/// last — and neither node accepts either token afterwards. A logout is not checked first (it only
/// revokes its own token), so the one that loses the race is acknowledged too and records its expiry.
/// </summary>
[Collection(TwoApiNodesCollection.Name)]
public sealed class ConcurrentExpiryRevocationTests(TwoApiNodes nodes)
{
    private const int Rounds = 20;

    [Fact]
    public async Task SameJti_LoggedOutOnBothNodesAtOnce_KeepsTheLaterExpiry_AndBothNodesRejectBoth()
    {
        var skew = ClockSkew(nodes.NodeA);
        Assert.Equal(skew, ClockSkew(nodes.NodeB));
        var failures = new List<string>();
        for (var round = 0; round < Rounds; round++)
        {
            var jti = $"twin-{Guid.NewGuid():N}";
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var shorter = Mint(jti, now + 600);
            var longer = Mint(jti, now + 1200);
            // Alternate which node holds the longer token, so either may be the one whose write lands last.
            var (onA, onB) = round % 2 == 0 ? (shorter, longer) : (longer, shorter);
            Assert.Equal(HttpStatusCode.OK, await SendAsync(nodes.B, ApiNode.Get("/me", onA))); // cached "not revoked" on B

            using var start = new Barrier(2);
            var logouts = await Task.WhenAll(
                Task.Run(() => { start.SignalAndWait(); return SendAsync(nodes.A, ApiNode.Post("/auth/logout", onA)); }),
                Task.Run(() => { start.SignalAndWait(); return SendAsync(nodes.B, ApiNode.Post("/auth/logout", onB)); }));

            // Both logouts are acknowledged, whichever arrives first: the stored expiry is the later one.
            var expected = DateTimeOffset.FromUnixTimeSeconds(now + 1200) + skew;
            var stored = await StoredExpiriesAsync(jti);
            var status = await nodes.Silos.Grains.GetTokenGrain(TestTokens.Issuer, jti).GetStatusAsync();
            var answers = new[]
            {
                await SendAsync(nodes.A, ApiNode.Get("/me", shorter)), await SendAsync(nodes.A, ApiNode.Get("/me", longer)),
                await SendAsync(nodes.B, ApiNode.Get("/me", shorter)), await SendAsync(nodes.B, ApiNode.Get("/me", longer)),
            };

            if (logouts.Any(s => s != HttpStatusCode.NoContent)
                || stored.Count != 1 || stored[0] != expected
                || !status.Revoked || status.ExpiresAt != expected
                || answers.Any(s => s != HttpStatusCode.Unauthorized))
            {
                failures.Add($"round {round}: logouts {string.Join('/', logouts)}, rows [{string.Join(", ", stored)}], grain {status}, /me {string.Join('/', answers)} (expected expiry {expected:o})");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task ShorterRevocationAfterTheLongerOne_ShortensNothing_AndKeepsTheFirstRevokedAt()
    {
        var jti = $"twin-{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var skew = ClockSkew(nodes.NodeA);
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(nodes.B, ApiNode.Post("/auth/logout", Mint(jti, now + 1200))));
        var first = await nodes.Silos.Grains.GetTokenGrain(TestTokens.Issuer, jti).GetStatusAsync();

        // The shorter token is already revoked (same jti): its own logout is acknowledged as the
        // repeat it is, and RFC 7009 revocation of it answers 200; neither may shorten what is stored.
        var shorter = Mint(jti, now + 600);
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(nodes.A, ApiNode.Post("/auth/logout", shorter)));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(nodes.A, ApiNode.ClientPost("/oauth2/revoke", ApiNode.Form(("token", shorter)))));

        Assert.Equal([DateTimeOffset.FromUnixTimeSeconds(now + 1200) + skew], await StoredExpiriesAsync(jti));
        Assert.Equal(first, await nodes.Silos.Grains.GetTokenGrain(TestTokens.Issuer, jti).GetStatusAsync());
    }

    [Fact]
    public async Task LongerTokenLoggedOutAfterTheShorterOne_ExtendsTheRevocationToItsOwnExpiry()
    {
        // Were the longer token refused as already revoked, the row would end with the shorter
        // token's expiry and the longer token would be accepted again from then until its own exp.
        var jti = $"twin-{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var skew = ClockSkew(nodes.NodeA);
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(nodes.B, ApiNode.Post("/auth/logout", Mint(jti, now + 600))));
        var first = await nodes.Silos.Grains.GetTokenGrain(TestTokens.Issuer, jti).GetStatusAsync();

        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(nodes.A, ApiNode.Post("/auth/logout", Mint(jti, now + 1200))));

        var longer = DateTimeOffset.FromUnixTimeSeconds(now + 1200) + skew;
        Assert.Equal([longer], await StoredExpiriesAsync(jti));
        Assert.Equal(first with { ExpiresAt = longer }, await nodes.Silos.Grains.GetTokenGrain(TestTokens.Issuer, jti).GetStatusAsync());
    }

    [Fact]
    public async Task GrainRevocations_FromBothSilosAtOnce_WithDifferentExpiries_EndAtTheLatest()
    {
        var siloA = nodes.Silos.Grains;
        var siloB = nodes.Silos.SiloServices(1).GetRequiredService<IGrainFactory>();
        var failures = new List<string>();
        for (var round = 0; round < 50; round++)
        {
            var jti = $"twin-grain-{Guid.NewGuid():N}";
            var later = DateTimeOffset.UtcNow.AddMinutes(30);
            var earlier = later.AddMinutes(-10);

            var replies = await Task.WhenAll(
                siloA.GetTokenGrain(TestTokens.Issuer, jti).RevokeAsync(round % 2 == 0 ? earlier : later, "a"),
                siloB.GetTokenGrain(TestTokens.Issuer, jti).RevokeAsync(round % 2 == 0 ? later : earlier, "b"));

            var expected = Microseconds(later);
            var stored = await StoredExpiriesAsync(jti);
            var final = await siloA.GetTokenGrain(TestTokens.Issuer, jti).GetStatusAsync();
            // Each reply covers at least its own expiry; what stays is the later one.
            if (replies.Any(r => !r.Revoked || r.ExpiresAt < Microseconds(earlier))
                || stored.Count != 1 || stored[0] != expected || final.ExpiresAt != expected)
            {
                failures.Add($"round {round}: replies {string.Join(" | ", replies)}, rows [{string.Join(", ", stored)}], final {final}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private string Mint(string jti, long exp) => nodes.Tokens.Mint(jti: jti, overrides: new Dictionary<string, object?> { ["exp"] = exp });

    private static TimeSpan ClockSkew(ApiFactory node) => node.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>()
        .Get(JwtBearerDefaults.AuthenticationScheme).TokenValidationParameters.ClockSkew;

    private static DateTimeOffset Microseconds(DateTimeOffset value) => value.AddTicks(-(value.UtcTicks % TimeSpan.TicksPerMicrosecond));

    private async Task<List<DateTimeOffset>> StoredExpiriesAsync(string jti)
    {
        await using var connection = new Npgsql.NpgsqlConnection(nodes.Silos.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT expires_at FROM revoked_tokens WHERE jti = $1", connection) { Parameters = { new() { Value = jti } } };
        await using var reader = await command.ExecuteReaderAsync();
        var expiries = new List<DateTimeOffset>();
        while (await reader.ReadAsync())
        {
            expiries.Add(reader.GetFieldValue<DateTimeOffset>(0));
        }

        return expiries;
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient node, HttpRequestMessage request)
    {
        using (request)
        using (var response = await node.SendAsync(request))
        {
            return response.StatusCode;
        }
    }
}
