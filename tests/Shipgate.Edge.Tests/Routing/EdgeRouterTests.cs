using Shipgate.Edge.Routing;

namespace Shipgate.Edge.Tests.Routing;

public sealed class EdgeRouterTests
{
    [Fact]
    public void Publish_NewTable_IsCurrent()
    {
        var router = new EdgeRouter();
        var table = new RouteTable([new ServiceRoute("staging", "web", [], [new ReleaseRoute("v1", 1000, [new RouteEndpoint("v1-1", 5000)])], null)]);

        router.Publish(table);

        Assert.Same(table, router.Current);
    }
}
