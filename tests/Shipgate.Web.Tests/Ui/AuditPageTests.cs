using Microsoft.Playwright;
using Shipgate.Web.Tests.Infrastructure;

namespace Shipgate.Web.Tests.Ui;

/// <summary>The audit page: the log newest first, its filters, and the chain's verification.</summary>
public sealed class AuditPageTests(Browser browser)
{
    [Fact]
    public async Task Audit_Filters_ShowOnlyMatchingEntries_WithTheChainVerified()
    {
        await using var server = await UiServer.StartAsync();
        await server.AddUserAsync("alice", "approver");
        await server.AddUserAsync("bob", "viewer");
        await using var page = await browser.OpenAsync(server.Ui);
        await page.GoAsync(server.AdminLink);
        await page.GoAsync("/audit");

        Assert.Contains("Chain verified", await page.Page.Locator(".chain").InnerTextAsync(), StringComparison.Ordinal);
        await page.CheckAsync("audit");

        await page.Page.GetByLabel("Target starts with").FillAsync("user/bob");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await page.Page.WaitForURLAsync(url => url.Contains("target=user", StringComparison.Ordinal));
        var rows = await page.Page.Locator("table.audit tbody tr").AllInnerTextsAsync();
        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Contains("user/bob", row, StringComparison.Ordinal));

        await page.GoAsync("/audit?from=yesterday-ish");
        Assert.Equal("'from' is not a time: give a date and time such as 2026-12-07T09:30 (UTC unless it names an offset).",
            await page.Page.Locator("[role=alert]").InnerTextAsync());
        await page.GoAsync("/audit?actor=nobody-at-all");
        Assert.Equal("No entry matches.", (await page.Page.Locator("main p").Last.InnerTextAsync()).Trim());
    }
}
