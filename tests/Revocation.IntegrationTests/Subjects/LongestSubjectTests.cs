using System.Net;
using System.Text.Json;
using Orleans.Core.Internal;
using Revocation.Abstractions;
using Revocation.Grains;
using Revocation.IntegrationTests.Api;

namespace Revocation.IntegrationTests.Subjects;

/// <summary>
/// The longest <c>sub</c> the registry takes (<see cref="TokenInput.MaxJtiLength"/> UTF-16 characters,
/// <see cref="TokenInput.CheckSubject"/>) goes through grain storage and back: the subject grain's key
/// is stored in <c>OrleansStorage.GrainIdExtensionString</c>, <c>varchar(512)</c> (characters, not bytes,
/// so 256 characters of up to 4 UTF-8 bytes fit). One character more is refused before any grain is
/// asked, with a 400 naming <c>sub</c>, and nothing is written.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class LongestSubjectTests(ApiNode api)
{
    private const int Max = TokenInput.MaxJtiLength;

    /// <summary>Subjects of exactly the maximum length: ASCII, two UTF-8 bytes a character, surrogate pairs (4 bytes per 2 characters).</summary>
    public static TheoryData<string> LongestSubjects => new()
    {
        "ascii",
        "two-byte",
        "surrogate-pairs",
    };

    private static string Subject(string kind, int length)
    {
        var unique = Guid.NewGuid().ToString("N");
        var filler = kind switch
        {
            "ascii" => new string('s', length),
            "two-byte" => new string('é', length),
            _ => string.Concat(Enumerable.Repeat("😀", length / 2 + 1)),
        };
        return (unique + filler)[..length];
    }

    [Theory]
    [MemberData(nameof(LongestSubjects))]
    public async Task SubOfTheMaximumLength_IsRevoked_AndReadBackFromStorageAfterDeactivation(string kind)
    {
        var sub = Subject(kind, Max);
        Assert.Equal(Max, sub.Length);
        Assert.Null(TokenInput.CheckSubject(sub));

        using var revoke = await AdminAsync(HttpMethod.Post, sub, "/revoke");
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var notBefore = NotBeforeOf(await revoke.Content.ReadAsStringAsync());

        var grain = api.Silos.Grains.GetSubjectGrain(TestTokens.Issuer, sub);
        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await Eventually.HoldsAsync(TimeSpan.FromSeconds(10), async () => !await IsActiveAsync(grain), () => "the subject grain did not deactivate");

        using var read = await AdminAsync(HttpMethod.Get, sub, "/");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(notBefore, NotBeforeOf(await read.Content.ReadAsStringAsync()));
        var key = TestKeys.Of(sub);
        Assert.Equal(key, await TestPostgres.ScalarAsync<string>(api.Silos.ConnectionString,
            "SELECT GrainIdExtensionString FROM OrleansStorage WHERE GrainTypeString = $1 AND GrainIdExtensionString = $2", SubjectGrain.StateName, key));
    }

    [Fact]
    public async Task TokenWithTheLongestSub_IsAccepted_ThenLoggedOutEverywhere()
    {
        var sub = Subject("surrogate-pairs", Max);
        var issuedAt = DateTimeOffset.UtcNow.AddSeconds(-30).ToUnixTimeSeconds();
        var token = api.Tokens.Mint(sub: sub, overrides: new Dictionary<string, object?> { ["iat"] = issuedAt });

        var flow = await LogoutRoundTrip.RunAsync(api.Http, token, "/auth/logout?everywhere=true");

        flow.AssertRevoked();
    }

    [Theory]
    [InlineData("ascii", "/revoke")]
    [InlineData("surrogate-pairs", "/revoke")]
    [InlineData("ascii", "/")]
    public async Task SubOneCharacterTooLong_Is400NamingSub_NoGrainActivated_NothingWritten(string kind, string action)
    {
        var sub = Subject(kind, Max + 1);
        var rows = await StoredSubjectsAsync();

        using var response = await AdminAsync(action == "/" ? HttpMethod.Get : HttpMethod.Post, sub, action);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = body.RootElement.GetProperty("errors").GetProperty("sub");
        Assert.Equal($"sub must be at most {Max} characters (was {Max + 1}).", Assert.Single(errors.EnumerateArray()).GetString());
        Assert.False(await IsActiveAsync(api.Silos.Grains.GetGrain<ISubjectGrain>(TestKeys.Of(sub)))); // the unchecked reference: GetSubjectGrain refuses this key
        Assert.Equal(rows, await StoredSubjectsAsync());
    }

    [Fact]
    public async Task TokenWithASubOneCharacterTooLong_Is401NamingSub_AndLogoutChangesNothing()
    {
        var sub = Subject("ascii", Max + 1);
        var token = api.Tokens.Mint(sub: sub);
        var rows = await StoredSubjectsAsync();

        using var me = await api.SendAsync(ApiNode.Get("/me", token));
        using var logout = await api.SendAsync(ApiNode.Post("/auth/logout?everywhere=true", token));

        foreach (var response in new[] { me, logout })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("error_description=\"The token's sub claim is invalid\"", response.Headers.WwwAuthenticate.ToString());
        }

        Assert.False(await IsActiveAsync(api.Silos.Grains.GetGrain<ISubjectGrain>(TestKeys.Of(sub)))); // the unchecked reference: GetSubjectGrain refuses this key
        Assert.Equal(rows, await StoredSubjectsAsync());
    }

    private async Task<HttpResponseMessage> AdminAsync(HttpMethod method, string sub, string action)
    {
        var request = new HttpRequestMessage(method, $"/admin/subjects/{Uri.EscapeDataString(sub)}{action}");
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {api.AdminToken()}");
        return await api.SendAsync(request);
    }

    private static DateTimeOffset NotBeforeOf(string json)
    {
        using var body = JsonDocument.Parse(json);
        return body.RootElement.GetProperty("notBefore").GetDateTimeOffset();
    }

    private Task<long> StoredSubjectsAsync() =>
        TestPostgres.ScalarAsync<long>(api.Silos.ConnectionString, "SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = $1", SubjectGrain.StateName);

    private async Task<bool> IsActiveAsync(IGrain grain) =>
        await api.Silos.Grains.GetGrain<IManagementGrain>(0).GetGrainActivationCount((GrainReference)grain) > 0;
}
