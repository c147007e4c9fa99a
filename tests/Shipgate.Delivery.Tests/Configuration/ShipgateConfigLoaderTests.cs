using Shipgate.Delivery.Configuration;
using static Shipgate.Delivery.Tests.Configuration.TestConfigs;

namespace Shipgate.Delivery.Tests.Configuration;

public sealed class ShipgateConfigLoaderTests
{
    [Fact]
    public void LoadText_DesignExample_ParsesClean()
    {
        var config = Valid(DesignExample);

        var web = Assert.Single(config.Services);
        Assert.Equal(("web", "python3 app.py", "PORT", "/health", 2), (web.Name, web.Run, web.PortEnv, web.Health, web.Instances));
        Assert.Equal(["staging", "production"], config.Environments.Select(e => e.Name));

        var staging = config.FindEnvironment("staging")!;
        Assert.Equal(EnvironmentMode.Deployment, staging.Mode);
        Assert.IsType<RollingStrategy>(staging.Strategy);

        var production = config.FindEnvironment("Production")!;
        Assert.Equal(EnvironmentMode.Delivery, production.Mode);
        Assert.Equal(["main"], production.Branches!.Select(b => b.Text));
        var approval = production.Approval!;
        Assert.Equal([new ReviewerReference("alice", false), new ReviewerReference("release-managers", true)], approval.Reviewers);
        Assert.Equal(1, approval.Required);
        Assert.True(approval.PreventSelfReview);
        Assert.Equal(TimeSpan.FromHours(24), approval.ExpiresAfter);
        Assert.Equal(ApprovalExpiryAction.Reject, approval.OnExpiry);
        var freeze = Assert.Single(production.Freeze);
        Assert.Equal("0 17 * * FRI", freeze.Cron.Text);
        Assert.Equal(TimeSpan.FromHours(63), freeze.Duration);
        Assert.Equal("Europe/Berlin", freeze.TimeZone.Id);
        var canary = Assert.IsType<CanaryStrategy>(production.Strategy);
        Assert.Equal(["weight", "analysis", "weight", "analysis", "weight"], canary.Steps.Select(s => s.Kind));
        Assert.Equal([10.0, 50.0, 100.0], canary.Steps.OfType<CanaryWeightStep>().Select(s => s.Weight));
        Assert.All(canary.Steps.OfType<CanaryAnalysisStep>(), s => Assert.Equal(TimeSpan.FromMinutes(2), s.Duration));
        Assert.Equal(RollbackMode.Automatic, production.Rollback);
    }

    [Fact]
    public void LoadFile_BrokenFile_NamesThePathAndGivesNoConfig()
    {
        var directory = Directory.CreateTempSubdirectory("shipgate-config-");
        try
        {
            var path = Path.Combine(directory.FullName, ShipgateConfig.FileName);
            File.WriteAllText(path, "environments:\n  production:\n    mode: delivery\n");

            var result = ShipgateConfigLoader.LoadFile(path);

            Assert.Null(result.Config);
            Assert.Equal($"{path}:3:11: error: 'environments.production.mode' is delivery, which needs an 'approval' block naming who approves (or use mode: deployment)", Assert.Single(result.Diagnostics).ToString());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void LoadFile_Missing_IsAnErrorNotAnException()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-dir-{Guid.NewGuid():N}", ShipgateConfig.FileName);

        var result = ShipgateConfigLoader.LoadFile(path);

        Assert.Null(result.Config);
        Assert.Contains("does not exist", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_ManyErrors_AreCappedWithACount()
    {
        var yaml = "services:\n" + string.Concat(Enumerable.Range(0, ShipgateConfigLoader.MaxDiagnostics + 10).Select(i => $"  s{i}: {{}}\n"));

        var result = Load(yaml);

        Assert.Equal(ShipgateConfigLoader.MaxDiagnostics + 1, result.Diagnostics.Count);
        Assert.Equal("10 more diagnostics were not shown", result.Diagnostics[^1].Message);
    }

    [Fact]
    public void LoadText_WarningsOnly_StillGivesTheConfig()
    {
        var result = Load("environments:\n  e:\n    approval:\n      reviewers: [a, a]\n");

        Assert.False(result.HasErrors);
        Assert.Single(result.Warnings);
        Assert.NotNull(result.Config);
    }
}
