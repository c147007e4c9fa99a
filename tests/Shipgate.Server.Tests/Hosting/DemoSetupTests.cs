using System.Net;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Hosting;

public sealed class DemoSetupTests
{
    [Fact]
    public async Task Demo_FirstStart_RegistersTheSampleAndStartsItsDeliveryPipeline()
    {
        await using var server = await RunningServer.StartAsync(options => options.Demo = true);

        var runs = await server.ListRunsAsync("hello-service");
        using var alice = server.ClientWith(File.ReadAllText(Path.Combine(server.DataDirectory, "demo", "alice.token")).Trim());
        using var me = await alice.GetAsync("/api/v1/user", Ct).DefaultTimeout();

        var run = Assert.Single(runs);
        Assert.Equal(".github/workflows/delivery.yml", run.WorkflowPath);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Contains("shipgate logs 1 --follow", server.Console.ToString(), StringComparison.Ordinal);
    }
}
