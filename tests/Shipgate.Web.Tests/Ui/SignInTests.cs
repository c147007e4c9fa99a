using System.Net;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using Shipgate.Web.Tests.Infrastructure;

namespace Shipgate.Web.Tests.Ui;

/// <summary>Signing in to the web UI of a real <c>shipgate up</c> in headless Chromium: links, tokens, sign-out.</summary>
public sealed class SignInTests(Browser browser)
{
    [Fact]
    public async Task SignInLink_OpenedOnce_LandsOnTheBoardSignedIn_AndASecondUseIsRefused()
    {
        await using var server = await UiServer.StartAsync();
        await using var first = await browser.OpenAsync(server.Ui);
        await first.GoAsync(server.AdminLink);

        Assert.EndsWith("/", first.Page.Url, StringComparison.Ordinal);
        Assert.Contains("Signed in as admin (admin)", await first.Page.Locator("header").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Release board", await first.Page.Locator("h1").InnerTextAsync());
        await first.CheckAsync("board-empty");

        await using var second = await browser.OpenAsync(server.Ui);
        var again = await second.GoAsync(server.AdminLink);

        Assert.Equal((int)HttpStatusCode.Unauthorized, again.Status);
        Assert.Contains("This sign-in link does not work: it was used already", await second.Page.Locator("[role=alert]").InnerTextAsync(), StringComparison.Ordinal);
        await second.CheckAsync("signin-refused");
    }

    [Fact]
    public async Task SignInLink_Expired_IsRefused()
    {
        await using var server = await UiServer.StartAsync();
        // A link made eleven minutes ago by the server's store: it lasted ten.
        await using (var store = await server.OpenStoreAsync(new FakeTimeProvider(TimeProvider.System.GetUtcNow().AddMinutes(-11))))
        {
            var admin = (await store.Users.GetUserAsync("admin", Ct))!;
            var ticket = await store.Sessions.CreateSignInTicketAsync(admin.Id, null, TimeSpan.FromMinutes(10), Ct);
            await using var page = await browser.OpenAsync(server.Ui);
            var response = await page.GoAsync("/signin/" + ticket);

            Assert.Equal((int)HttpStatusCode.Unauthorized, response.Status);
            Assert.Contains("has expired", await page.Page.Locator("[role=alert]").InnerTextAsync(), StringComparison.Ordinal);
            Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "shipgate_session");
        }
    }

    [Fact]
    public async Task SignInForm_WrongToken_IsRefusedWithOneSentence_RightTokenSignsIn()
    {
        await using var server = await UiServer.StartAsync();
        await using var page = await browser.OpenAsync(server.Ui);
        await page.GoAsync("/");
        Assert.EndsWith("/signin", page.Page.Url, StringComparison.Ordinal);
        await page.CheckAsync("signin");

        await page.Page.GetByLabel("API token").FillAsync("sg_not-a-real-token");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        Assert.Equal("That API token is not valid: it is unknown or was revoked, or its user is disabled.", await page.Page.Locator("[role=alert]").InnerTextAsync());

        await page.Page.GetByLabel("API token").FillAsync(server.Up.AdminToken);
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Page.WaitForURLAsync(server.Ui.ToString());
        Assert.Contains("Signed in as admin", await page.Page.Locator("header").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_DeletesTheSession_TheOldCookieNoLongerSignsIn()
    {
        await using var server = await UiServer.StartAsync();
        await using var page = await browser.OpenAsync(server.Ui);
        await page.GoAsync(server.AdminLink);
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "shipgate_session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.False(cookie.Secure);

        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.Page.WaitForURLAsync(new Uri(server.Ui, "signin").ToString());

        await using var replay = await browser.OpenAsync(server.Ui);
        await replay.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = cookie.Name, Value = cookie.Value, Domain = cookie.Domain, Path = "/" }]);
        await replay.GoAsync("/");
        Assert.EndsWith("/signin", replay.Page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_TokenRevoked_EndsAtTheNextRequest()
    {
        await using var server = await UiServer.StartAsync();
        var token = await server.AddUserAsync("carol", "developer");
        await using var page = await browser.OpenAsync(server.Ui);
        await page.GoAsync(await server.LinkForAsync(token));
        Assert.Contains("Signed in as carol", await page.Page.Locator("header").InnerTextAsync(), StringComparison.Ordinal);

        // carol's token is the second one made (the admin's is the first).
        var revoked = await server.Up.RunAsync(["token", "revoke", "2"]);
        Assert.True(revoked.ExitCode == 0, revoked.ToString());

        await page.GoAsync("/");
        Assert.EndsWith("/signin", page.Page.Url, StringComparison.Ordinal);
    }
}
