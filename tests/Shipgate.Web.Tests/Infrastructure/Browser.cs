using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Shipgate.Web.Tests.Infrastructure.Browser))]

namespace Shipgate.Web.Tests.Infrastructure;

/// <summary>
/// Debian's headless Chromium (<c>/usr/bin/chromium</c>), launched once for the test assembly through Playwright's
/// bundled driver: no browser is downloaded. Each test opens its own context (cookies and storage of its own).
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _chromium;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"The browser tests need Debian's Chromium at {ChromiumPath}: apt-get install chromium (./test.sh installs it).");
        }

        _playwright = await Playwright.CreateAsync().WaitAsync(Default);
        // As root (CI), Chromium's own sandbox cannot start; the pages are our own on loopback.
        _chromium = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox"] }).WaitAsync(Default);
    }

    /// <summary>A page in a fresh context on <paramref name="baseUrl"/>, recording dialogs and console errors.</summary>
    public async Task<UiPage> OpenAsync(Uri baseUrl, bool bypassCsp = false)
    {
        var context = await _chromium!.NewContextAsync(new() { BaseURL = baseUrl.ToString(), BypassCSP = bypassCsp }).WaitAsync(Default);
        context.SetDefaultTimeout((float)Default.TotalMilliseconds);
        return new UiPage(context, await context.NewPageAsync().WaitAsync(Default));
    }

    public async ValueTask DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
