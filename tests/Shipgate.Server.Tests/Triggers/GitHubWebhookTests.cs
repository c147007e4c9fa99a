using System.Net;
using System.Net.Http.Json;
using System.Text;
using Shipgate.Server.Api;
using Shipgate.Server.Audit;
using Shipgate.Server.Hosting;
using Shipgate.Server.Tests.Infrastructure;
using Shipgate.Server.Triggers;

namespace Shipgate.Server.Tests.Triggers;

public sealed class GitHubWebhookTests
{
    [Fact]
    public async Task Push_GoodSignature_QueuesTheMatchingRun()
    {
        using var repository = TestRepository.WithCiWorkflow();
        await using var server = await RunningServer.StartAsync();
        var project = await server.AddProjectAsync("web", repository.Root);
        var before = repository.Git("rev-parse", "HEAD").Trim();
        repository.Write("src/app.txt", "2");
        var after = repository.Commit("change");

        using var response = await PostAsync(server, "push", PushBody(before, after), project.WebhookSecret);
        var answer = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.WebhookResponse, Ct).DefaultTimeout();
        var run = await server.WaitForCompletedRunAsync(Assert.Single(answer!.Runs));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(after, run.Sha);
        Assert.Equal("push", run.Event);
        Assert.Equal("success", run.Conclusion);
    }

    [Theory]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000", "does not match")]
    [InlineData(null, "header is missing")]
    [InlineData("sha1=abc", "does not match")]
    public async Task Push_BadOrMissingSignature_401AuditedAndNoRun(string? signature, string reason)
    {
        using var repository = TestRepository.WithCiWorkflow();
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var head = repository.Git("rev-parse", "HEAD").Trim();

        using var response = await PostAsync(server, "push", PushBody(head, head), secret: null, signature: signature);
        var problem = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ApiProblem, Ct).DefaultTimeout();
        await server.Service<RejectedRequests>().FlushAsync(DateTimeOffset.MaxValue, Ct).DefaultTimeout();
        var audit = await server.Service<ServerStore>().Store.Audit.ListAsync(cancellationToken: Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(reason, problem!.Detail, StringComparison.Ordinal);
        var entry = Assert.Single(audit, e => e.Action == "webhook.rejected");
        Assert.Equal("project/web", entry.Target);
        Assert.Contains(reason, entry.Reason, StringComparison.Ordinal);
        Assert.Empty(await server.ListRunsAsync());
    }

    [Fact]
    public async Task Push_OversizedBody_413AndNoRun()
    {
        using var repository = TestRepository.WithCiWorkflow();
        await using var server = await RunningServer.StartAsync(options => options.MaxWebhookBodyBytes = 4096);
        var project = await server.AddProjectAsync("web", repository.Root);
        var body = "{\"ref\":\"refs/heads/main\",\"padding\":\"" + new string('x', 10_000) + "\"}";

        using var response = await PostAsync(server, "push", body, project.WebhookSecret);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await server.ListRunsAsync());
    }

    [Fact]
    public async Task Push_SameDeliveryTwice_RunsOnce()
    {
        using var repository = TestRepository.WithCiWorkflow();
        await using var server = await RunningServer.StartAsync();
        var project = await server.AddProjectAsync("web", repository.Root);
        var before = repository.Git("rev-parse", "HEAD").Trim();
        repository.Write("src/app.txt", "2");
        var after = repository.Commit("change");
        var body = PushBody(before, after);

        using var first = await PostAsync(server, "push", body, project.WebhookSecret, delivery: "d-1");
        using var second = await PostAsync(server, "push", body, project.WebhookSecret, delivery: "d-1");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Single(await server.ListRunsAsync(), r => r.Sha == after);
    }

    [Fact]
    public async Task PullRequest_IntoMain_QueuesAPullRequestRun()
    {
        using var repository = new TestRepository();
        repository.Write(".github/workflows/pr.yml", "on:\n  pull_request:\n    branches: [main]\njobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo checking\n");
        var baseSha = repository.Commit("initial");
        await using var server = await RunningServer.StartAsync();
        var project = await server.AddProjectAsync("web", repository.Root);
        repository.Git("checkout", "--quiet", "-b", "feature");
        repository.Write("src/feature.txt", "new");
        var headSha = repository.Commit("feature");
        var body = "{\"action\":\"opened\",\"number\":7,\"pull_request\":{\"base\":{\"ref\":\"main\",\"sha\":\"" + baseSha
            + "\"},\"head\":{\"ref\":\"feature\",\"sha\":\"" + headSha + "\"}}}";

        using var response = await PostAsync(server, "pull_request", body, project.WebhookSecret);
        var answer = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.WebhookResponse, Ct).DefaultTimeout();
        var run = await server.WaitForCompletedRunAsync(Assert.Single(answer!.Runs));

        Assert.Equal("pull_request", run.Event);
        Assert.Equal(headSha, run.Sha);
        Assert.Equal("refs/pull/7/head", run.Ref);
    }

    [Fact]
    public async Task Webhook_UnknownProject_404()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await PostAsync(server, "push", "{}", "secret", project: "nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void Signature_GitHubsDocumentedExample_Verifies()
    {
        // The test vector of GitHub's "Validating webhook deliveries" documentation.
        var body = Encoding.UTF8.GetBytes("Hello, World!");

        Assert.True(WebhookSignature.IsValid(body, "It's a Secret to Everybody", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));
        Assert.False(WebhookSignature.IsValid(body, "another secret", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));
    }

    private static string PushBody(string before, string after) =>
        $$"""{"ref":"refs/heads/main","before":"{{before}}","after":"{{after}}","repository":{"full_name":"acme/web"},"commits":[]}""";

    private static async Task<HttpResponseMessage> PostAsync(RunningServer server, string eventName, string body, string? secret, string? signature = null, string? delivery = null, string project = "web")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/hooks/github?project={project}") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", delivery ?? Guid.NewGuid().ToString());
        if ((signature ?? (secret is null ? null : WebhookSignature.Compute(bytes, secret))) is { } header)
        {
            request.Headers.Add(WebhookSignature.HeaderName, header);
        }

        return await server.Client.SendAsync(request, Ct).DefaultTimeout();
    }
}
