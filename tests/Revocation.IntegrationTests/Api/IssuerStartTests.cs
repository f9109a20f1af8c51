using System.Net.Http.Json;
using System.Net;

namespace Revocation.IntegrationTests.Api;

/// <summary>
/// Promise 10: the development issuer exists in Development only; asked for anywhere else it stops
/// the node at start, and wherever it is on a warning says so at start.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class IssuerStartTests(ApiNode api)
{
    private const string Warning = "The development token issuer is on";

    [Theory]
    [InlineData("Production")]
    [InlineData("Testing")]
    public void EnabledOutsideDevelopment_StopsTheStartNamingTheSetting(string environment)
    {
        using var node = new ApiFactory(api.Silos, api.Tokens, new Dictionary<string, string?> { ["Issuer:Enabled"] = "true" }, environment);

        var error = Assert.ThrowsAny<Exception>(() => node.CreateClient());

        Assert.Contains("Issuer:Enabled=true is refused outside the Development environment", error.ToString());
        Assert.DoesNotContain(node.Logs.Lines, line => line.Contains(Warning, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OutsideDevelopment_ThereIsNoTokenEndpoint_AndNoWarning()
    {
        using var response = await api.Http.PostAsJsonAsync("/auth/token", new { sub = "mallory", scope = "admin" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(api.Factory.Logs.Lines, line => line.Contains(Warning, StringComparison.Ordinal));
    }

    [Fact]
    public async Task InDevelopment_TheIssuerAnswers_AndAWarningWasLoggedAtStart()
    {
        var token = await api.IssueAsync("olivia");

        using var me = await api.SendAsync(ApiNode.Get("/me", token));

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Single(api.Development.Logs.Lines, line => line.StartsWith("Warning ", StringComparison.Ordinal)
            && line.Contains(Warning + " (environment Development, Issuer:Enabled)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TurnedOffInDevelopment_NoEndpointAndNoWarning()
    {
        await using var node = new ApiFactory(api.Silos, api.Tokens, new Dictionary<string, string?> { ["Issuer:Enabled"] = "false" }, "Development");
        using var http = node.CreateClient();

        using var response = await http.PostAsJsonAsync("/auth/token", new { sub = "olivia" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(node.Logs.Lines, line => line.Contains(Warning, StringComparison.Ordinal));
    }
}
