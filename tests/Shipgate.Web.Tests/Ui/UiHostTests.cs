using System.Net;
using Shipgate.Web.Tests.Infrastructure;

namespace Shipgate.Web.Tests.Ui;

/// <summary>The UI's own port: only the UI there, only the API on the API's port, and the safety headers on every answer.</summary>
public sealed class UiHostTests
{
    [Fact]
    public async Task Ports_ApiOnlyOnApiPort_UiOnlyOnUiPort()
    {
        await using var server = await UiServer.StartAsync();
        using var client = new HttpClient { Timeout = Default };
        client.DefaultRequestHeaders.Authorization = new("Bearer", server.Up.AdminToken);

        using var apiOnUi = await client.GetAsync(new Uri(server.Ui, "api/v1/status"), Ct);
        using var openApiOnUi = await client.GetAsync(new Uri(server.Ui, "openapi/v1.json"), Ct);
        using var uiOnApi = await client.GetAsync(new Uri(server.Up.Url, "signin"), Ct);
        using var assetOnApi = await client.GetAsync(new Uri(server.Up.Url, "assets/ui.css"), Ct);
        using var apiOnApi = await client.GetAsync(new Uri(server.Up.Url, "api/v1/status"), Ct);
        using var uiOnUi = await client.GetAsync(new Uri(server.Ui, "signin"), Ct);

        Assert.Equal(HttpStatusCode.NotFound, apiOnUi.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, openApiOnUi.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, uiOnApi.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, assetOnApi.StatusCode);
        Assert.Equal(HttpStatusCode.OK, apiOnApi.StatusCode);
        Assert.Equal(HttpStatusCode.OK, uiOnUi.StatusCode);
    }

    [Fact]
    public async Task Pages_EveryAnswer_CarriesStrictSafetyHeaders_AndAssetsComeFromShipgate()
    {
        await using var server = await UiServer.StartAsync();
        using var client = new HttpClient { Timeout = Default };

        using var page = await client.GetAsync(new Uri(server.Ui, "signin"), Ct);
        using var css = await client.GetAsync(new Uri(server.Ui, "assets/ui.css"), Ct);
        using var script = await client.GetAsync(new Uri(server.Ui, "assets/ui.js"), Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);

        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.DoesNotContain("http://", html.Replace(server.Ui.ToString(), "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }
}
