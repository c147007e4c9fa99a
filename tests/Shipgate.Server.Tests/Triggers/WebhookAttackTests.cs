using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Triggers;

/// <summary>
/// Attacks on <c>POST /api/v1/hooks/github</c> of the real <c>shipgate up</c>, with a project whose repository is a
/// URL (mirrored and fetched, as a GitHub project is): each is refused with one sentence, audited, and runs nothing.
/// </summary>
public sealed class WebhookAttackTests
{
    [Fact]
    public async Task Push_SignedBodyReplayedUnderANewDeliveryId_IsRefused409AuditedAndRunsNothing()
    {
        using var repository = TestRepository.WithCiWorkflow();
        var before = repository.Git("rev-parse", "HEAD").Trim();
        await using var up = await ShipgateUp.StartAsync();
        using var admin = Admin(up);
        var secret = await AddProjectAsync(admin, repository);
        repository.Write("src/app.txt", "2");
        var body = SignedWebhook.PushBody(before, repository.Commit("change"));

        using var honest = await SignedWebhook.PostAsync(admin, "push", body, secret, "d-1");
        using var redelivered = await SignedWebhook.PostAsync(admin, "push", body, secret, "d-1");
        using var replayed = await SignedWebhook.PostAsync(admin, "push", body, secret, "d-2");

        Assert.Equal(HttpStatusCode.Accepted, honest.StatusCode);
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, replayed.StatusCode);
        Assert.Equal(
            "The webhook was refused: this body was delivered before under another delivery id, so this is a replay.",
            (await replayed.Content.ReadFromJsonAsync(ApiJsonContext.Default.ApiProblem, Ct).DefaultTimeout())!.Detail);
        var entry = Assert.Single(await AuditAsync(admin), e => e.Action == "webhook.replayed");
        Assert.Contains("\"delivery\":\"d-2\"", entry.After, StringComparison.Ordinal);
        Assert.Single(await RunsAsync(admin));
    }

    [Fact]
    public async Task Push_ClaimsMainWithACommitNotOnMain_IsRefused422AuditedAndRunsNothing()
    {
        using var repository = TestRepository.WithCiWorkflow();
        var main = repository.Git("rev-parse", "HEAD").Trim();
        repository.Git("checkout", "--quiet", "-b", "feature");
        repository.Write("src/app.txt", "unreviewed");
        var feature = repository.Commit("not on main");
        repository.Git("checkout", "--quiet", "main");
        await using var up = await ShipgateUp.StartAsync();
        using var admin = Admin(up);
        var secret = await AddProjectAsync(admin, repository);

        using var attack = await SignedWebhook.PostAsync(admin, "push", SignedWebhook.PushBody(main, feature), secret, "d-1");
        repository.Write("src/app.txt", "reviewed");
        var honestSha = repository.Commit("on main");
        using var honest = await SignedWebhook.PostAsync(admin, "push", SignedWebhook.PushBody(main, honestSha), secret, "d-2");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, attack.StatusCode);
        var sentence = $"The commit {feature} is not on refs/heads/main in the repository of 'web'.";
        Assert.Equal(sentence, (await attack.Content.ReadFromJsonAsync(ApiJsonContext.Default.ApiProblem, Ct).DefaultTimeout())!.Detail);
        Assert.Equal(sentence, Assert.Single(await AuditAsync(admin), e => e.Action == "webhook.refused").Reason);
        Assert.Equal(HttpStatusCode.Accepted, honest.StatusCode);
        Assert.Equal([honestSha], (await RunsAsync(admin)).Select(r => r.Sha));
    }

    [Fact]
    public async Task Webhook_OversizedHeadersAndFields_AreRefusedWithOneSentenceAndRunNothing()
    {
        using var repository = TestRepository.WithCiWorkflow();
        var head = repository.Git("rev-parse", "HEAD").Trim();
        await using var up = await ShipgateUp.StartAsync();
        using var admin = Admin(up);
        var secret = await AddProjectAsync(admin, repository);

        using var longDelivery = await SignedWebhook.PostAsync(admin, "push", SignedWebhook.PushBody(head, head), secret, new string('d', 30_000));
        using var longEvent = await SignedWebhook.PostAsync(admin, new string('e', 1_000), "{}", secret, "d-2");
        using var longRef = await SignedWebhook.PostAsync(admin, "push", SignedWebhook.PushBody(head, head, "refs/heads/" + new string('r', 300)), secret, "d-3");
        using var revision = await SignedWebhook.PostAsync(admin, "push", SignedWebhook.PushBody(head, "HEAD~1"), secret, "d-4");

        Assert.Equal(
            (HttpStatusCode.BadRequest, "The X-GitHub-Delivery header is longer than 100 characters or holds control characters."),
            (longDelivery.StatusCode, await DetailAsync(longDelivery)));
        Assert.Equal(
            (HttpStatusCode.BadRequest, "The X-GitHub-Event header is not an event name (lower-case letters and _, at most 64)."),
            (longEvent.StatusCode, await DetailAsync(longEvent)));
        Assert.Equal(
            (HttpStatusCode.UnprocessableEntity, "The push's ref is not a branch or tag ref (refs/heads/NAME or refs/tags/NAME, at most 255 characters)."),
            (longRef.StatusCode, await DetailAsync(longRef)));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "The push's 'before' and 'after' must be full commit SHAs."), (revision.StatusCode, await DetailAsync(revision)));
        var audited = (await AuditAsync(admin)).Where(e => e.Action.StartsWith("webhook.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["webhook.refused", "webhook.refused"], audited.Select(e => e.Action));
        Assert.All(audited, e => Assert.True(e.After!.Length < 200, e.After));
        Assert.Empty(await RunsAsync(admin));
    }

    private static HttpClient Admin(ShipgateUp up)
    {
        var client = new HttpClient { BaseAddress = up.Url, Timeout = TestTimeouts.Default };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", up.AdminToken);
        return client;
    }

    /// <summary>Adds the project <c>web</c> by URL (a mirror the server fetches); returns its webhook secret.</summary>
    internal static async Task<string> AddProjectAsync(HttpClient admin, TestRepository repository)
    {
        using var response = await admin.PostAsJsonAsync(
            "/api/v1/projects", new ProjectCreateRequest("web", "file://" + repository.Root, "main"), ApiJsonContext.Default.ProjectCreateRequest, Ct).DefaultTimeout();
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct).DefaultTimeout());
        return (await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ProjectCreatedResponse, Ct).DefaultTimeout())!.WebhookSecret;
    }

    internal static async Task<RunResponse[]> RunsAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync("/api/v1/runs?project=web", ApiJsonContext.Default.RunResponseArray, Ct).DefaultTimeout())!;

    private static async Task<AuditEntryResponse[]> AuditAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync("/api/v1/audit", ApiJsonContext.Default.AuditEntryResponseArray, Ct).DefaultTimeout())!;

    private static async Task<string?> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ApiProblem, Ct).DefaultTimeout())!.Detail;
}
