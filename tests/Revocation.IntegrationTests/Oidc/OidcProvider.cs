using System.Globalization;

namespace Revocation.IntegrationTests.Oidc;

/// <summary>
/// panva's oidc-provider as a real OpenID Provider on a loopback port, started through
/// <c>scripts/oidc-provider.sh</c> (which installs it with npm on first use: a machine without
/// Node fails the test, it does not skip it). One client, <see cref="ClientId"/>, with the
/// authorization-code flow and <see cref="BackchannelLogoutUri"/>; access tokens are RS256
/// <c>at+jwt</c> for <see cref="Resource"/>, carrying the session's <c>sid</c>.
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    public const string ClientId = "registry-tests-rp";
    public const string ClientSecret = "registry-tests-rp-secret-0123456789abcdef";
    public const string Resource = "urn:registry-tests:api";
    public const string RedirectUri = "http://127.0.0.1:9/callback"; // never followed: the code is read from the redirect
    public const string Scope = "api";

    private readonly string _folder;

    private OidcProvider(string folder, Uri url, Uri backchannelLogoutUri)
    {
        _folder = folder;
        Url = url;
        BackchannelLogoutUri = backchannelLogoutUri;
    }

    /// <summary>The issuer (<c>iss</c>) and authority.</summary>
    public Uri Url { get; }

    public string Issuer => Url.ToString().TrimEnd('/');

    public Uri BackchannelLogoutUri { get; }

    /// <summary>A port for a provider started later (the API nodes must know the issuer before it runs).</summary>
    public static int ReservePort() => TestPorts.Free();

    /// <summary>Starts the provider on <paramref name="port"/>, posting logout tokens to <paramref name="backchannelLogoutUri"/>.</summary>
    public static async Task<OidcProvider> StartAsync(int port, Uri backchannelLogoutUri)
    {
        var folder = Directory.CreateTempSubdirectory("registry-oidc-provider-").FullName;
        var result = await ScriptRun.RunAsync(RepoPaths.Script("oidc-provider.sh"), ["start", folder], TimeSpan.FromMinutes(4), new Dictionary<string, string>
        {
            ["OIDC_PROVIDER_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["OIDC_CLIENT_ID"] = ClientId,
            ["OIDC_CLIENT_SECRET"] = ClientSecret,
            ["OIDC_REDIRECT_URI"] = RedirectUri,
            ["OIDC_BACKCHANNEL_LOGOUT_URI"] = backchannelLogoutUri.ToString(),
            ["OIDC_RESOURCE"] = Resource,
            ["OIDC_API_SCOPE"] = Scope,
        });
        Assert.True(result.ExitCode == 0, $"scripts/oidc-provider.sh start failed ({result.ExitCode}):\n{result.Output}\n{result.Errors}");
        return new OidcProvider(folder, new Uri(result.Output.Trim()), backchannelLogoutUri);
    }

    /// <summary>The provider's output: one JSON line per back-channel call (<c>backchannel.success</c>, <c>backchannel.error</c>).</summary>
    public string Log() => File.ReadAllText(Path.Combine(_folder, "provider.log"));

    public ProviderBrowser Browser() => new(this);

    public async ValueTask DisposeAsync()
    {
        await ScriptRun.RunAsync(RepoPaths.Script("oidc-provider.sh"), ["stop", _folder], TimeSpan.FromSeconds(30));
        Directory.Delete(_folder, recursive: true);
    }
}
