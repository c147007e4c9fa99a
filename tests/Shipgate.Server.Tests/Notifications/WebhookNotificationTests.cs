using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Notifications;

public sealed class WebhookNotificationTests
{
    private const string Config = """
        environments:
          production:
            approval:
              reviewers: [alice]
        """;

    private const string Delivery = """
        name: delivery
        on: workflow_dispatch
        jobs:
          production:
            runs-on: ubuntu-latest
            environment: production
            steps:
              - run: echo deploying; exit 1
        """;

    [Fact]
    public async Task ApprovedThenFailedRun_WaitingApprovedFailedPostedAsJson()
    {
        using var repository = Repository();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("hello-service", repository.Root);
        await AddWebhookAsync(server, new NotificationWebhookRequest(receiver.Url + "/hooks/json"));
        var alice = await server.CreateUserAsync("alice", "approver");

        var run = await server.DispatchAsync("hello-service", "delivery.yml");
        var waiting = await receiver.NextAsync();
        var approvalId = waiting.Json.GetProperty("approval").GetProperty("id").GetInt64();
        var approved = await ShipgateProcess.RunAsync(["approve", approvalId.ToString(CultureInfo.InvariantCulture), "--comment", "go"], ShipgateProcess.For(server, alice));
        var approvedPost = await receiver.NextAsync();
        var failed = await receiver.NextAsync();

        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.Equal("/hooks/json", waiting.Path);
        Assert.Equal(["waiting", "approved", "failed"], new[] { waiting, approvedPost, failed }.Select(p => p.Json.GetProperty("event").GetString()));
        Assert.Equal("hello-service", waiting.Json.GetProperty("project").GetString());
        var runJson = waiting.Json.GetProperty("run");
        Assert.Equal((run.Id, run.Sha, "refs/heads/main", "delivery"), (runJson.GetProperty("id").GetInt64(), runJson.GetProperty("sha").GetString(), runJson.GetProperty("ref").GetString(), runJson.GetProperty("workflow").GetString()));
        Assert.Equal($"{server.Url.ToString().TrimEnd('/')}/api/v1/runs/{run.Id}", runJson.GetProperty("url").GetString());
        Assert.Equal(("production", "pending"), (waiting.Json.GetProperty("environment").GetString(), waiting.Json.GetProperty("approval").GetProperty("status").GetString()));
        var decision = Assert.Single(approvedPost.Json.GetProperty("approval").GetProperty("decisions").EnumerateArray());
        Assert.Equal(("alice", "approved", "go"), (decision.GetProperty("user").GetString(), decision.GetProperty("decision").GetString(), decision.GetProperty("comment").GetString()));
        Assert.Equal("approved", approvedPost.Json.GetProperty("approval").GetProperty("status").GetString());
        Assert.Equal("failed", failed.Headers["X-Shipgate-Event"]);
        Assert.False(failed.Headers.ContainsKey("X-Shipgate-Signature-256"));
        Assert.True(failed.Json.TryGetProperty("at", out _));
    }

    [Fact]
    public async Task SlackFormatWithSecret_OneLineMessageAndSignatureVerifies()
    {
        using var repository = Repository();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("hello-service", repository.Root);
        await AddWebhookAsync(server, new NotificationWebhookRequest(receiver.Url + "/services/T0/B0/secretpath", "slack", "hello-service", ["waiting"], "s3cret"));

        var run = await server.DispatchAsync("hello-service", "delivery.yml");
        var post = await receiver.NextAsync();
        using var admin = server.AdminClient();
        var approval = (await admin.GetFromJsonAsync("/api/v1/approvals?status=pending", ApiJsonContext.Default.ApprovalResponseArray, Ct).DefaultTimeout())!.Single();

        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("s3cret"), post.Body));
        Assert.Equal(expected, post.Headers["X-Shipgate-Signature-256"]);
        Assert.Equal(
            $"hello-service {run.Sha[..7]} waiting for approval to production (run {run.Id}) — approve with: shipgate approve {approval.Id}",
            post.Json.GetProperty("text").GetString());
        Assert.Single(post.Json.EnumerateObject());
    }

    [Fact]
    public async Task ReceiverDown_PostRetriedUntilItAnswers()
    {
        using var repository = Repository();
        await using var receiver = await WebhookReceiver.StartAsync(0, 503, 500);
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("hello-service", repository.Root);
        await AddWebhookAsync(server, new NotificationWebhookRequest(receiver.Url, Events: ["waiting"]));

        await server.DispatchAsync("hello-service", "delivery.yml");
        var first = await receiver.NextAsync();
        var second = await receiver.NextAsync();
        var third = await receiver.NextAsync();
        var listed = await EventuallyAsync(async () => (await ListAsync(server)).SingleOrDefault(w => w.LastDelivery == "delivered"), "the delivery to be recorded");

        Assert.Equal([503, 500, 200], new[] { first, second, third }.Select(p => p.Answered));
        Assert.Equal(first.Body, third.Body);
        Assert.Equal(first.Headers["X-Shipgate-Delivery"], third.Headers["X-Shipgate-Delivery"]);
        Assert.Equal("the receiver answered 500 Internal Server Error", listed.LastError);
    }

    [Fact]
    public async Task ReceiverDownAcrossARestart_DeliveredByTheRestartedServer()
    {
        using var repository = Repository();
        var port = Ports.Free();
        string data;
        await using (var server = await RunningServer.StartAsync())
        {
            server.KeepData = true;
            data = server.DataDirectory;
            await server.AddProjectAsync("hello-service", repository.Root);
            await AddWebhookAsync(server, new NotificationWebhookRequest($"http://127.0.0.1:{port}/hook", Events: ["waiting"]));
            await server.DispatchAsync("hello-service", "delivery.yml");
            await EventuallyAsync(async () => (await ListAsync(server)).SingleOrDefault(w => w.LastError is not null), "a failed attempt");
        }

        await using var receiver = await WebhookReceiver.StartAsync(port);
        await using var restarted = await RunningServer.StartAsync(dataDirectory: data);
        var post = await receiver.NextAsync();

        Assert.Equal("waiting", post.Json.GetProperty("event").GetString());
    }

    [Fact]
    public async Task DeploymentSucceededEvent_DeployedPostedForTheWebhooksThatWantIt()
    {
        using var repository = Repository();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("hello-service", repository.Root);
        await AddWebhookAsync(server, new NotificationWebhookRequest(receiver.Url + "/failed-only", Events: ["failed"]));
        await AddWebhookAsync(server, new NotificationWebhookRequest(receiver.Url + "/deployed", Events: ["deployed"]));
        var run = await server.DispatchAsync("hello-service", "delivery.yml");

        // The producer of deployment events is the deployment machinery; the notifier matches the kind by name.
        await server.Service<Shipgate.Server.Hosting.ServerStore>().Store.Runs.AppendEventAsync(run.Id, "deployment.succeeded", "{\"environment\":\"production\",\"service\":\"hello-service\"}", Ct).DefaultTimeout();
        var post = await receiver.NextAsync();

        Assert.Equal("/deployed", post.Path);
        Assert.Equal(("deployed", "production"), (post.Json.GetProperty("event").GetString(), post.Json.GetProperty("environment").GetString()));
    }

    [Fact]
    public async Task WebhookCommands_AddListRemove_AuditedWithoutTheSecretPath()
    {
        await using var server = await RunningServer.StartAsync();
        var environment = ShipgateProcess.For(server, server.AdminToken);

        var added = await ShipgateProcess.RunAsync(["webhook", "add", "https://hooks.example.com/services/T0/B0/secretpath", "--format", "slack", "--event", "waiting", "--event", "failed"], environment);
        var listed = await ShipgateProcess.RunAsync(["webhook", "list"], environment);
        var removed = await ShipgateProcess.RunAsync(["webhook", "remove", added.LastLine], environment);
        var after = await ShipgateProcess.RunAsync(["webhook", "list", "--json"], environment);
        using var admin = server.AdminClient();
        var audit = await admin.GetStringAsync("/api/v1/audit", Ct).DefaultTimeout();

        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains("https://hooks.example.com/…", listed.Stdout, StringComparison.Ordinal);
        Assert.Contains("waiting,failed", listed.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("secretpath", listed.Stdout, StringComparison.Ordinal);
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Equal("[]", after.Stdout.Trim());
        Assert.Contains("webhook.add", audit, StringComparison.Ordinal);
        Assert.Contains("webhook.remove", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("secretpath", audit, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hooks.example.com/x", "is not an absolute URL")]
    [InlineData("ftp://example.com/x", "must start with http:// or https://")]
    public async Task WebhookAdd_BadUrl_RefusedWithASentence(string url, string message)
    {
        await using var server = await RunningServer.StartAsync();

        var result = await ShipgateProcess.RunAsync(["webhook", "add", url], ShipgateProcess.For(server, server.AdminToken));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(await ListAsync(server));
    }

    [Fact]
    public async Task WebhookAdd_NotAdmin_Forbidden()
    {
        await using var server = await RunningServer.StartAsync();
        using var developer = server.ClientWith(await server.CreateUserAsync("dev", "developer"));

        using var response = await developer.PostAsJsonAsync("/api/v1/webhooks", new NotificationWebhookRequest("https://example.com/x"), ApiJsonContext.Default.NotificationWebhookRequest, Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static async Task AddWebhookAsync(RunningServer server, NotificationWebhookRequest request)
    {
        using var admin = server.AdminClient();
        using var response = await admin.PostAsJsonAsync("/api/v1/webhooks", request, ApiJsonContext.Default.NotificationWebhookRequest, Ct).DefaultTimeout();
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<NotificationWebhookResponse[]> ListAsync(RunningServer server)
    {
        using var admin = server.AdminClient();
        return (await admin.GetFromJsonAsync("/api/v1/webhooks", ApiJsonContext.Default.NotificationWebhookResponseArray, Ct).DefaultTimeout())!;
    }

    private static TestRepository Repository()
    {
        var repository = new TestRepository();
        repository.Write("shipgate.yml", Config);
        repository.Write(".github/workflows/delivery.yml", Delivery);
        repository.Commit("delivery");
        return repository;
    }
}
