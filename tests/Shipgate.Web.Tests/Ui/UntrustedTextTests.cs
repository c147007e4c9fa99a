using Shipgate.Web.Tests.Infrastructure;

namespace Shipgate.Web.Tests.Ui;

/// <summary>
/// Text from git and from people (commit messages, authors, reasons) is shown as text: no script or markup from it runs,
/// even with the content security policy switched off in the browser (the encoding alone must hold).
/// </summary>
public sealed class UntrustedTextTests(Browser browser)
{
    private const string Attack = "Fix <script>alert('script')</script> \"><img src=x onerror=alert('img')> [docs](javascript:alert('link')) <a href=\"javascript:alert('a')\">a</a>";

    [Fact]
    public async Task Board_CommitMessageWithScriptAndMarkup_IsShownAsTextAndNothingRuns()
    {
        using var repository = DeployedService.Repository(Attack);
        // git keeps no angle brackets in a name: the author tries to break out of an attribute instead.
        repository.Git("config", "user.name", "Mallory\" onmouseover=\"alert('author')");
        repository.Write("app/NOTE", "by mallory\n");
        repository.Commit(Attack);
        await using var server = await UiServer.StartAsync();
        await server.Up.ExpectRunAsync(await server.Up.DispatchAsync(repository, "deploy.yml"), "success");
        await using var page = await browser.OpenAsync(server.Ui, bypassCsp: true);
        await page.GoAsync(server.AdminLink);

        var cell = page.Page.Locator("table.board td.cell");
        Assert.Contains(Attack, await cell.Locator(".commit").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("by Mallory\" onmouseover=\"alert('author')", await cell.InnerTextAsync(), StringComparison.Ordinal);
        await cell.HoverAsync();
        Assert.Equal(0, await page.Page.Locator("main script, img[src=x], a[href^=javascript], [onmouseover]").CountAsync());
        Assert.Empty(page.Dialogs);
        await page.CheckAsync("board-untrusted");
    }

    [Fact]
    public async Task Audit_ReasonWithScriptAndMarkup_IsShownAsTextAndNothingRuns()
    {
        using var repository = TestRepository.WithProductionGate();
        await using var server = await UiServer.StartAsync();
        var alice = await server.AddUserAsync("alice", "approver");
        var run = await server.Up.DispatchAsync(repository, "delivery.yml");
        var approval = await server.Up.PendingApprovalAsync(long.Parse(run, System.Globalization.CultureInfo.InvariantCulture));
        var rejected = await server.Up.RunAsync(["reject", approval.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--comment", Attack], alice);
        Assert.True(rejected.ExitCode == 0, rejected.ToString());

        await using var page = await browser.OpenAsync(server.Ui, bypassCsp: true);
        await page.GoAsync(server.AdminLink);
        await page.GoAsync("/audit?action=approval.reject");

        Assert.Contains(Attack, await page.Page.Locator("table.audit tbody").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Page.Locator("main script, img[src=x], a[href^=javascript]").CountAsync());
        Assert.Empty(page.Dialogs);
    }

    [Fact]
    public async Task Forms_PostWithoutTheAntiForgeryToken_IsRefusedAndChangesNothing()
    {
        using var repository = TestRepository.WithProductionGate();
        await using var server = await UiServer.StartAsync();
        var run = await server.Up.DispatchAsync(repository, "delivery.yml");
        var approval = await server.Up.PendingApprovalAsync(long.Parse(run, System.Globalization.CultureInfo.InvariantCulture));
        await using var page = await browser.OpenAsync(server.Ui);
        await page.GoAsync(server.AdminLink);

        // The session cookie goes along (a same-site request forged by script would carry it too); the token does not.
        var approve = await page.Context.APIRequest.PostAsync($"/approvals/{approval.Id}/approve", new() { Form = page.Context.APIRequest.CreateFormData() });
        var signOut = await page.Context.APIRequest.PostAsync("/signout", new() { Form = page.Context.APIRequest.CreateFormData() });

        Assert.Equal(400, approve.Status);
        Assert.Contains("anti-forgery token is missing or wrong", await approve.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(400, signOut.Status);
        Assert.Equal(approval.Id, (await server.Up.PendingApprovalAsync(long.Parse(run, System.Globalization.CultureInfo.InvariantCulture))).Id);
        await page.GoAsync("/");
        Assert.Contains("Signed in as admin", await page.Page.Locator("header").InnerTextAsync(), StringComparison.Ordinal);
    }
}
