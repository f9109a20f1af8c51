using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Revocation.IntegrationTests.CheckModes;

/// <summary>
/// Database mode with its database unreachable (nothing listens on its port) while the silos are
/// fine: the failure policy applies exactly as when the registry is down.
/// </summary>
[Collection(CheckModeCollection.Name)]
public sealed class DatabaseDownTests(CheckModeSilos fixture)
{
    private ApiFactory Node(string policy) => new(fixture.Silos, fixture.Tokens, new Dictionary<string, string?>
    {
        ["RevocationCheck:Mode"] = "Database",
        ["RevocationCheck:FailurePolicy"] = policy,
        ["RevocationCheck:Database:ConnectionString"] =
            $"Host=127.0.0.1;Port={TestPorts.Free().ToString(CultureInfo.InvariantCulture)};Database=registry;Username=postgres;Timeout=5",
    });

    [Fact]
    public async Task DatabaseModeDatabaseDown_FailClosedAnswers503_FailOpenAccepts()
    {
        await using var closedNode = Node("FailClosed");
        await using var openNode = Node("FailOpen");
        using var closed = closedNode.CreateClient();
        using var open = openNode.CreateClient();

        using var refused = await closed.SendAsync(ApiNode.Get("/me", fixture.Tokens.Mint()));
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        using var accepted = await open.SendAsync(ApiNode.Get("/me", fixture.Tokens.Mint()));
        using var management = closedNode.CreateManagementClient();
        using var metrics = await management.GetAsync("/metrics");
        var text = await metrics.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Matches("revocation_checks_total\\{(?=[^}]*mode=\"database\")(?=[^}]*outcome=\"error\")(?=[^}]*policy=\"fail_closed\")", text);
        Assert.Matches("revocation_check_db_queries_total\\{[^}]*mode=\"database\"", text);
    }
}
