using Microsoft.Playwright;

namespace Revocation.EndToEndTests.Dashboard;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright for .NET. Playwright downloads no browser here:
/// it drives <see cref="ExecutablePath"/>, which is installed on first use like the other tools
/// (scripts/ensure-package.sh); a machine where that fails fails the test, saying how to install it.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        const string Install = $"The browser tests drive Debian's Chromium at {ExecutablePath}; install it with `sudo apt-get install -y chromium`.";
        try
        {
            await MonitoringTools.EnsureAsync("chromium", "chromium");
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException($"{Install} {ex.Message}", ex);
        }

        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{Install} (a chromium is on the PATH, but not at {ExecutablePath}.)");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Arguments,
            });
            return new HeadlessChromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
