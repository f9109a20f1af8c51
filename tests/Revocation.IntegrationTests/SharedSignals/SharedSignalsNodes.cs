using System.Net.Http.Headers;
using Revocation.IntegrationTests.NearCache;

namespace Revocation.IntegrationTests.SharedSignals;

/// <summary>
/// Two API nodes with near caches on two silos, receiving SETs from <see cref="TestSets.Transmitter"/>
/// about the tests' own token issuer (<see cref="TestTokens.Issuer"/>); pushes carry
/// <see cref="Authorization"/>.
/// </summary>
public sealed class SharedSignalsNodes : TwoApiNodes
{
    public const string Authorization = "Bearer ssf-push-secret-0123456789";

    public TestSets Sets { get; } = new();

    protected override string Purpose => "shared_signals";

    protected override Dictionary<string, string?> NodeSettings => new()
    {
        ["SharedSignals:Transmitters:0:Issuer"] = TestSets.Transmitter,
        ["SharedSignals:Transmitters:0:Audience"] = TestSets.Audience,
        ["SharedSignals:Transmitters:0:PublicKeys:0"] = Sets.PublicPem,
        ["SharedSignals:Transmitters:0:SubjectIssuer"] = TestTokens.Issuer,
        ["SharedSignals:Transmitters:0:AuthorizationHeader"] = Authorization,
    };

    /// <summary>Pushes <paramref name="set"/> to <paramref name="node"/> as a transmitter does (RFC 8935 §2).</summary>
    public static Task<HttpResponseMessage> PushAsync(HttpClient node, string set, string? authorization = Authorization, string mediaType = "application/secevent+jwt")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/ssf/events") { Content = new StringContent(set) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        request.Headers.Accept.ParseAdd("application/json");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return node.SendAsync(request);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Sets.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class SharedSignalsCollection : ICollectionFixture<SharedSignalsNodes>
{
    public const string Name = "two API nodes receiving Shared Signals";
}
