using Microsoft.Playwright;
using Shipgate.Web.Tests.Infrastructure;

namespace Shipgate.Web.Tests.Ui;

/// <summary>The release board of a real <c>shipgate up</c> after real workflows deploy through its edge.</summary>
public sealed class ReleaseBoardTests(Browser browser)
{
    [Fact]
    public async Task Board_AfterRealDeploys_ShowsTheReleaseWithCommitAndAuthor_AndUpdatesLiveWithoutReload()
    {
        using var repository = DeployedService.Repository("Add the greeting service");
        await using var server = await UiServer.StartAsync();
        await server.Up.ExpectRunAsync(await server.Up.DispatchAsync(repository, "deploy.yml"), "success");
        await using var page = await browser.OpenAsync(server.Ui);
        await page.GoAsync(server.AdminLink);

        var cell = page.Page.Locator("table.board td.cell");
        Assert.Contains("Add the greeting service", await cell.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("by Dev Eloper", await cell.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("serving", await cell.Locator(".status").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("production", (await page.Page.Locator("table.board thead th").Nth(1).InnerTextAsync()).Trim());
        await page.Page.Locator("#live-status", new() { HasTextString = "Live" }).WaitForAsync();
        await page.CheckAsync("board");

        // A marker the page keeps only while it is not reloaded.
        await page.Page.EvaluateAsync("window.notReloaded = true");
        repository.Write("app/NOTE", "second\n");
        repository.Commit("Say hello twice");
        await server.Up.ExpectRunAsync(await server.Up.DispatchAgainAsync(), "success");

        await page.Page.Locator("table.board td.cell", new() { HasTextString = "Say hello twice" }).WaitForAsync();
        Assert.True(await page.Page.EvaluateAsync<bool>("window.notReloaded === true"));
        await page.CheckAsync("board-updated");
    }

    [Fact]
    public async Task Board_WaitingApproval_ShowsABadge_AdminSeesTheButtons_ViewerSeesNoneAndItsForgedPostIsRefused()
    {
        using var repository = TestRepository.WithProductionGate();
        await using var server = await UiServer.StartAsync();
        await server.AddUserAsync("alice", "approver");
        var run = await server.Up.DispatchAsync(repository, "delivery.yml");
        var approval = await server.Up.PendingApprovalAsync(long.Parse(run, System.Globalization.CultureInfo.InvariantCulture));

        await using var admin = await browser.OpenAsync(server.Ui);
        await admin.GoAsync(server.AdminLink);
        var header = admin.Page.Locator("table.board thead th", new() { HasTextString = "production" });
        Assert.Equal("1 waiting", await header.Locator(".badge").InnerTextAsync());
        Assert.Equal(1, await header.GetByRole(AriaRole.Button, new() { NameString = "Approve" }).CountAsync());
        await admin.CheckAsync("board-approval");

        // The button is checked on the server with the API's rules: the environment names alice as its reviewer.
        await header.GetByRole(AriaRole.Button, new() { NameString = "Approve" }).ClickAsync();
        Assert.Equal("Not recorded", await admin.Page.Locator("h1").InnerTextAsync());
        Assert.Contains("admin is not a reviewer of this approval", await admin.Page.Locator("[role=status]").InnerTextAsync(), StringComparison.Ordinal);
        await admin.CheckAsync("decision-refused");

        var viewerToken = await server.AddUserAsync("victor", "viewer");
        await using var viewer = await browser.OpenAsync(server.Ui);
        await viewer.GoAsync(await server.LinkForAsync(viewerToken));
        Assert.Equal("1 waiting", await viewer.Page.Locator("table.board .badge").InnerTextAsync());
        Assert.Equal(0, await viewer.Page.GetByRole(AriaRole.Button, new() { NameString = "Approve" }).CountAsync());

        // The viewer forges the form with a valid anti-forgery token (taken from the sign-out form): the server refuses.
        var forged = await viewer.Context.APIRequest.PostAsync($"/approvals/{approval.Id}/approve", new() { Form = await SignOutFormTokenAsync(viewer) });
        Assert.Equal(403, forged.Status);
        Assert.Contains("deciding approvals needs the approver or admin role", await forged.TextAsync(), StringComparison.Ordinal);
        var still = await server.Up.PendingApprovalAsync(long.Parse(run, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(approval.Id, still.Id);
    }

    [Fact]
    public async Task Board_ARunWaitingAtAnApprovalStep_ShowsItAboveTheGrid_AndAnApproverDecidesItThere()
    {
        using var repository = new TestRepository();
        repository.Write(".github/workflows/release.yml", """
            on: workflow_dispatch
            jobs:
              approve:
                runs-on: ubuntu-latest
                steps:
                  - uses: trstringer/manual-approval@v1
                    with:
                      secret: ${{ github.token }}
                      approvers: alice
                      minimum-approvals: 1
                      issue-title: Deploy <b>1.0</b> to production
            """);
        repository.Commit("a release that waits for a person");
        await using var server = await UiServer.StartAsync();
        var aliceToken = await server.AddUserAsync("alice", "approver");
        var run = await server.Up.DispatchAsync(repository, "release.yml");
        await server.Up.PendingApprovalAsync(long.Parse(run, System.Globalization.CultureInfo.InvariantCulture));

        await using var alice = await browser.OpenAsync(server.Ui);
        await alice.GoAsync(await server.LinkForAsync(aliceToken));
        var waiting = alice.Page.Locator("ul.runs-waiting li");
        Assert.Equal("1 waiting", await alice.Page.Locator("section.project .badge").First.InnerTextAsync());
        Assert.StartsWith("Deploy <b>1.0</b> to production", await waiting.InnerTextAsync(), StringComparison.Ordinal);
        await alice.CheckAsync("board-run-approval");

        await waiting.GetByRole(AriaRole.Button, new() { NameString = "Approve" }).ClickAsync();
        Assert.Equal("Decision recorded", await alice.Page.Locator("h1").InnerTextAsync());
        await server.Up.ExpectRunAsync(run, "success");
    }

    /// <summary>The page's own anti-forgery field (from its sign-out form), as form data for a request made by hand.</summary>
    internal static async Task<IFormData> SignOutFormTokenAsync(UiPage page)
    {
        var field = page.Page.Locator("form.signout input[type=hidden]");
        var form = page.Context.APIRequest.CreateFormData();
        form.Set((await field.GetAttributeAsync("name"))!, (await field.GetAttributeAsync("value"))!);
        return form;
    }
}
