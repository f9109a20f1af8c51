using System.Net.Http.Headers;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text;

namespace Revocation.IntegrationTests.Oidc;

/// <summary>
/// A user agent with its own cookie jar at <see cref="OidcProvider"/>: one browser is one provider
/// session. Signs in through the authorization-code flow (the provider's development login and
/// consent forms), exchanges the code for an access token, and signs out (RP-initiated logout,
/// which makes the provider send its back-channel logout before it answers).
/// </summary>
public sealed partial class ProviderBrowser : IDisposable
{
    private readonly OidcProvider _provider;
    private readonly HttpClient _http;

    internal ProviderBrowser(OidcProvider provider)
    {
        _provider = provider;
        _http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = provider.Url,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>Signs <paramref name="login"/> in (any password) and returns an access token for <see cref="OidcProvider.Resource"/>.</summary>
    public async Task<string> SignInAsync(string login)
    {
        var state = Guid.NewGuid().ToString("N");
        var location = await RedirectOfAsync(new HttpRequestMessage(HttpMethod.Get,
            $"/auth?client_id={OidcProvider.ClientId}&response_type=code&scope={Uri.EscapeDataString($"openid {OidcProvider.Scope}")}" +
            $"&redirect_uri={Uri.EscapeDataString(OidcProvider.RedirectUri)}&resource={Uri.EscapeDataString(OidcProvider.Resource)}&state={state}"));
        for (var step = 0; !location.StartsWith(OidcProvider.RedirectUri, StringComparison.Ordinal); step++)
        {
            Assert.True(step < 10, $"the sign-in did not reach the redirect URI; last at {location}");
            using var page = await _http.GetAsync(location);
            if (page.Headers.Location is { } next)
            {
                location = next.ToString();
                continue;
            }

            var html = await page.Content.ReadAsStringAsync();
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{(int)page.StatusCode} at {location}: {html}");
            var fields = html.Contains("name=\"login\"", StringComparison.Ordinal)
                ? new[] { ("prompt", "login"), ("login", login), ("password", "any") }
                : new[] { ("prompt", "consent") };
            location = await RedirectOfAsync(FormPost(FormAction(html), fields));
        }

        var code = Query(location, "code");
        Assert.Equal(state, Query(location, "state"));
        var exchange = FormPost("/token", ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", OidcProvider.RedirectUri), ("resource", OidcProvider.Resource));
        exchange.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{OidcProvider.ClientId}:{OidcProvider.ClientSecret}")));
        using var tokens = await _http.SendAsync(exchange);
        var body = await tokens.Content.ReadAsStringAsync();
        Assert.True(tokens.IsSuccessStatusCode, $"token endpoint: {(int)tokens.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>Ends this browser's provider session (RP-initiated logout, confirmed): the provider posts its logout tokens before it answers.</summary>
    public async Task SignOutAsync()
    {
        using var prompt = await _http.GetAsync($"/session/end?client_id={OidcProvider.ClientId}");
        var html = await prompt.Content.ReadAsStringAsync();
        Assert.True(prompt.StatusCode == HttpStatusCode.OK, $"{(int)prompt.StatusCode} at /session/end: {html}");
        var xsrf = Xsrf().Match(html);
        Assert.True(xsrf.Success, $"no xsrf field in the logout form: {html}");
        var done = await RedirectOfAsync(FormPost(FormAction(html), ("xsrf", xsrf.Groups[1].Value), ("logout", "yes")));
        Assert.Contains("/session/end/success", done, StringComparison.Ordinal);
    }

    private async Task<string> RedirectOfAsync(HttpRequestMessage request)
    {
        using (request)
        using (var response = await _http.SendAsync(request))
        {
            return response.Headers.Location?.ToString()
                ?? throw new InvalidOperationException($"{request.Method} {request.RequestUri}: {(int)response.StatusCode} without a redirect: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static HttpRequestMessage FormPost(string url, params (string Key, string Value)[] fields) =>
        new(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))) };

    private static string FormAction(string html) =>
        Action().Match(html) is { Success: true } action ? WebUtility.HtmlDecode(action.Groups[1].Value) : throw new InvalidOperationException($"no form in {html}");

    private static string Query(string url, string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(url).Query)[name].ToString();

    [GeneratedRegex("<form[^>]*action=\"([^\"]+)\"")]
    private static partial Regex Action();

    [GeneratedRegex("name=\"xsrf\" value=\"([^\"]+)\"")]
    private static partial Regex Xsrf();

    public void Dispose() => _http.Dispose();
}
