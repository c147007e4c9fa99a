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
}
