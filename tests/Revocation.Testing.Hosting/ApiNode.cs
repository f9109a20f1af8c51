using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text;

namespace Revocation.Testing.Hosting;

/// <summary>Two real silos, one API node in process, and the tests' token keys: shared by the API tests.</summary>
public class ApiNode : IAsyncLifetime
{
    public TestTokens Tokens { get; } = new();

    public TestSilos Silos { get; private set; } = null!;

    public ApiFactory Factory { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    private readonly Lazy<ApiFactory> _development;

    public ApiNode() => _development = new(() => new ApiFactory(Silos, Tokens, environment: "Development"));

    /// <summary>
    /// A second API node on the same silos and keys, in the Development environment: the only one
    /// where the development issuer (<c>POST /auth/token</c>) exists. Started on first use.
    /// </summary>
    public ApiFactory Development => _development.Value;

    /// <summary>The clock the silos' registry code reads (<see cref="TestClock"/>); <c>null</c> keeps real time.</summary>
    protected virtual TimeProvider? SiloClock => null;

    /// <summary>Runs once the silos have started, before the API node does.</summary>
    protected virtual Task AfterSilosStartAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Silos = await TestSilos.StartAsync(2, "api", clock: SiloClock);
        await AfterSilosStartAsync();
        Factory = new ApiFactory(Silos, Tokens);
        Http = Factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_development.IsValueCreated)
        {
            await _development.Value.DisposeAsync();
        }

        await Factory.DisposeAsync();
        await Silos.DisposeAsync();
        Tokens.Dispose();
    }

    public static HttpRequestMessage Get(string path, string? token = null) => WithBearer(new HttpRequestMessage(HttpMethod.Get, path), token);

    public static HttpRequestMessage Post(string path, string? token = null, HttpContent? content = null) =>
        WithBearer(new HttpRequestMessage(HttpMethod.Post, path) { Content = content }, token);

    public static HttpContent Form(params (string Key, string Value)[] fields) =>
        new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    /// <summary>A request to an OAuth endpoint with HTTP Basic client authentication (RFC 6749 §2.3.1 encoding).</summary>
    public static HttpRequestMessage ClientPost(string path, HttpContent? content, string clientId = OAuthTestClients.ClientId, string secret = OAuthTestClients.ClientSecret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        var credentials = $"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return request;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            return await Http.SendAsync(request);
        }
    }

    /// <summary>A token from the API's own development issuer (on <see cref="Development"/>; valid on every node here).</summary>
    public async Task<string> IssueAsync(string sub = "alice", string? scope = null)
    {
        using var http = Development.CreateClient();
        using var response = await http.PostAsJsonAsync("/auth/token", new { sub, scope, lifetimeSeconds = 600 });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    public string AdminToken() => Tokens.Mint(scope: "admin");

    private static HttpRequestMessage WithBearer(HttpRequestMessage request, string? token)
    {
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        }

        return request;
    }
}
