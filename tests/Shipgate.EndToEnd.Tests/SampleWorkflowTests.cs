using System.Net;
using System.Text.Json;
using Shipgate.EndToEnd.Tests.Infrastructure;

namespace Shipgate.EndToEnd.Tests;

/// <summary>
/// The three sample pipelines of samples/hello-service, run end to end by the real <c>shipgate run</c>
/// in a fresh repository that holds a copy of the sample, as a newcomer would run them. The delivery and
/// deployment pipelines deploy through the local edge <c>shipgate run</c> starts (on a free port here); the
/// tests then ask the edge what it serves, and stop it at the end.
/// </summary>
public sealed class SampleWorkflowTests : IAsyncDisposable
{
    private const string Workflows = "samples/hello-service/.github/workflows";
    private readonly TempGitRepository _repo = new();

    public SampleWorkflowTests()
    {
        _repo.CopyFromSource("samples/hello-service");
        _repo.Commit("hello-service");
    }

    public async ValueTask DisposeAsync()
    {
        await ShipgateCli.RunAsync(["edge", "stop", "--state", Path.Combine(_repo.DataDirectory, "edge")], timeout: TimeSpan.FromMinutes(1));
        _repo.Dispose();
    }

    [Fact]
    public async Task Delivery_ApprovedByAnApprover_ReachesProductionWithTheStagingArtifact()
    {
        var summary = await RunAsync("delivery.yml", expectedExit: 0, "--approve-as", "alice");

        var jobs = Conclusions(summary);
        Assert.Equal("success", jobs["deploy-to-staging"]);
        Assert.Equal("success", jobs["manual-approval"]);
        Assert.Equal("success", jobs["deploy-to-production"]);
        var artifact = Assert.Single(summary.RootElement.GetProperty("artifacts").EnumerateArray());
        Assert.Equal("build", artifact.GetProperty("name").GetString());
        var version = _repo.Git("rev-parse", "--short=7", "HEAD").Trim();
        foreach (var environment in new[] { "staging", "production" })
        {
            var (status, served, body) = await GetAsync(environment, "/");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(version, served);
            Assert.Contains("Hello from hello-service", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Delivery_WithoutApproval_StopsBeforeProduction()
    {
        var summary = await RunAsync("delivery.yml", expectedExit: 1);

        var jobs = Conclusions(summary);
        Assert.Equal("success", jobs["deploy-to-staging"]);
        Assert.Equal("failure", jobs["manual-approval"]);
        Assert.Equal("skipped", jobs["deploy-to-production"]);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("staging", "/health")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("production", "/health")).Status);
    }

    [Fact]
    public async Task Deployment_FailingRelease_IsRolledBackByItselfAndTheJobFails()
    {
        await RunAsync("deployment.yml", expectedExit: 0);
        var good = _repo.Git("rev-parse", "--short=7", "HEAD").Trim();
        _repo.Write("samples/hello-service/CHANGELOG", "a change that breaks the home page in production\n");
        _repo.Commit("break it");

        // The release answers / with 500 (HELLO_FAILURE_RATE, a variable of the environment it gets): its smoke test fails.
        var summary = await RunAsync("deployment.yml", expectedExit: 1, "--var", "HELLO_FAILURE_RATE=1");

        var deploy = summary.RootElement.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("id").GetString() == "deploy-to-production");
        var steps = deploy.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("conclusion").GetString());
        Assert.Equal("failure", steps["Deploy to production"]);
        Assert.Equal("success", steps["Report a rollback"]);
        var (status, served, _) = await GetAsync("production", "/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(good, served);
    }

    [Fact]
    public async Task Canary_SecondRelease_GoesThroughTheStepsAndTakesAllTraffic()
    {
        await RunAsync("canary.yml", expectedExit: 0);
        _repo.Write("samples/hello-service/CHANGELOG", "a second release\n");
        _repo.Commit("second");
        var version = _repo.Git("rev-parse", "--short=7", "HEAD").Trim();

        var summary = await RunAsync("canary.yml", expectedExit: 0);

        Assert.All(Conclusions(summary).Values, conclusion => Assert.Equal("success", conclusion));
        var (status, served, _) = await GetAsync("production-canary", "/");
        Assert.Equal((HttpStatusCode.OK, version), (status, served));
    }

    [Fact]
    public async Task Canary_FailingCanary_IsRolledBackByItself()
    {
        await RunAsync("canary.yml", expectedExit: 0);
        var good = _repo.Git("rev-parse", "--short=7", "HEAD").Trim();
        _repo.Write("samples/hello-service/CHANGELOG", "a change that fails half the requests\n");
        _repo.Commit("break it");

        // Half its answers to / are 500s (HELLO_FAILURE_RATE, a variable of the environment): its smoke checks at the looks fail.
        var summary = await RunAsync("canary.yml", expectedExit: 1, "--var", "HELLO_FAILURE_RATE=0.5");

        var canary = summary.RootElement.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("id").GetString() == "canary-deployment");
        var steps = canary.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("conclusion").GetString());
        Assert.Equal("failure", steps["Deploy by canary"]);
        var (status, served, _) = await GetAsync("production-canary", "/");
        Assert.Equal((HttpStatusCode.OK, good), (status, served));
    }

    private async Task<JsonDocument> RunAsync(string workflow, int expectedExit, params string[] extra)
    {
        var result = await ShipgateCli.RunAsync(
            ["run", Path.Combine(_repo.Root, Workflows, workflow), "--data", _repo.DataDirectory, "--edge-port", "0", "--json", .. extra],
            timeout: TimeSpan.FromMinutes(5));
        Assert.True(result.ExitCode == expectedExit, result.ToString());
        return JsonDocument.Parse(result.Stdout);
    }

    /// <summary>GET <paramref name="path"/> of hello-service in <paramref name="environment"/> through the edge the runs started.</summary>
    private async Task<(HttpStatusCode Status, string? Version, string Body)> GetAsync(string environment, string path)
    {
        using var edge = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_repo.DataDirectory, "edge", "edge.json")));
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(edge.RootElement.GetProperty("listen")[0].GetString()!), path));
        request.Headers.Host = $"hello-service.{environment}.localhost";
        using var response = await client.SendAsync(request);
        var version = response.Headers.TryGetValues("X-Shipgate-Version", out var values) ? values.First() : null;
        return (response.StatusCode, version, await response.Content.ReadAsStringAsync());
    }

    private static Dictionary<string, string?> Conclusions(JsonDocument summary) =>
        summary.RootElement.GetProperty("jobs").EnumerateArray().ToDictionary(j => j.GetProperty("id").GetString()!, j => j.GetProperty("conclusion").GetString());
}
