using System.Text.Json;
using Shipgate.EndToEnd.Tests.Infrastructure;

namespace Shipgate.EndToEnd.Tests;

/// <summary>
/// The three sample pipelines of samples/hello-service, run end to end by the real <c>shipgate run</c>
/// in a fresh repository that holds a copy of the sample, as a newcomer would run them.
/// </summary>
public sealed class SampleWorkflowTests : IDisposable
{
    private const string Workflows = "samples/hello-service/.github/workflows";
    private readonly TempGitRepository _repo = new();

    public SampleWorkflowTests()
    {
        _repo.CopyFromSource("samples/hello-service");
        _repo.Commit("hello-service");
    }

    public void Dispose() => _repo.Dispose();

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
    }

    [Fact]
    public async Task Delivery_WithoutApproval_StopsBeforeProduction()
    {
        var summary = await RunAsync("delivery.yml", expectedExit: 1);

        var jobs = Conclusions(summary);
        Assert.Equal("success", jobs["deploy-to-staging"]);
        Assert.Equal("failure", jobs["manual-approval"]);
        Assert.Equal("skipped", jobs["deploy-to-production"]);
    }

    [Fact]
    public async Task Deployment_BrokenSmokeTest_RollsBackAndFails()
    {
        var summary = await RunAsync("deployment.yml", expectedExit: 1, "--event", "workflow_dispatch", "--input", "break-smoke-test=true");

        var deploy = summary.RootElement.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("id").GetString() == "deploy-to-production");
        var steps = deploy.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("conclusion").GetString());
        Assert.Equal("failure", steps["Run smoke tests"]);
        Assert.Equal("success", steps.Single(s => s.Key.StartsWith("Rollback", StringComparison.Ordinal)).Value);
    }

    [Fact]
    public async Task Canary_Healthy_IsPromoted()
    {
        var summary = await RunAsync("canary.yml", expectedExit: 0);

        Assert.All(Conclusions(summary).Values, conclusion => Assert.Equal("success", conclusion));
    }

    [Fact]
    public async Task Canary_FailingCanary_IsRolledBack()
    {
        var summary = await RunAsync("canary.yml", expectedExit: 1, "--event", "workflow_dispatch", "--input", "break-canary=true");

        var canary = summary.RootElement.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("id").GetString() == "canary-deployment");
        var steps = canary.GetProperty("steps").EnumerateArray().Select(s => (Name: s.GetProperty("name").GetString()!, Conclusion: s.GetProperty("conclusion").GetString())).ToList();
        Assert.Contains(steps, s => s.Name.StartsWith("Monitor", StringComparison.Ordinal) && s.Conclusion == "failure");
        Assert.Contains(steps, s => s.Name.Contains("oll back", StringComparison.Ordinal) && s.Conclusion == "success");
    }

    private async Task<JsonDocument> RunAsync(string workflow, int expectedExit, params string[] extra)
    {
        var result = await ShipgateCli.RunAsync(
            ["run", Path.Combine(_repo.Root, Workflows, workflow), "--data", _repo.DataDirectory, "--json", .. extra],
            timeout: TimeSpan.FromMinutes(5));
        Assert.True(result.ExitCode == expectedExit, result.ToString());
        return JsonDocument.Parse(result.Stdout);
    }

    private static Dictionary<string, string?> Conclusions(JsonDocument summary) =>
        summary.RootElement.GetProperty("jobs").EnumerateArray().ToDictionary(j => j.GetProperty("id").GetString()!, j => j.GetProperty("conclusion").GetString());
}
