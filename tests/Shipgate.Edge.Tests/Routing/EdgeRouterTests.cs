using Shipgate.Edge.Routing;
using Shipgate.Edge.Tests.Proxy;
using Shipgate.Server.Tests.Infrastructure;

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

    [Fact]
    public async Task InFlight_WhileForwarding_CountsTheInstanceUntilItAnswers()
    {
        await using var v1 = await TestUpstream.StartAsync("one");
        await using var proxy = await ProxyHarness.StartAsync(ProxyHarness.Table(ProxyHarness.Weights(("v1", 1000)), ("v1", 1000, [v1.Port])));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestTimeouts.Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hang");
        request.Headers.Host = "web.staging.localhost";

        var hanging = proxy.Client.SendAsync(request, cancel.Token);
        await TestTimeouts.EventuallyAsync(() => Task.FromResult(v1.Hanging == 1 ? "hanging" : null), "the request to reach the instance");

        Assert.Equal(1, proxy.Router.InFlight("v1-1"));
        Assert.Equal(0, proxy.Router.InFlight("v9-1"));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hanging).DefaultTimeout();
        await TestTimeouts.EventuallyAsync(() => Task.FromResult(proxy.Router.InFlight("v1-1") == 0 ? "drained" : null), "the count to drop");
    }

    [Fact]
    public async Task Publish_TablesChangingUnderConcurrentLoad_LosesNoRequest()
    {
        await using var blue = await TestUpstream.StartAsync("blue");
        await using var green = await TestUpstream.StartAsync("green");
        var tables = new[]
        {
            ProxyHarness.Table(ProxyHarness.Weights(("v1", 1000), ("v2", 0)), ("v1", 1000, [blue.Port]), ("v2", 0, [green.Port])),
            ProxyHarness.Table(ProxyHarness.Weights(("v1", 500), ("v2", 500)), ("v1", 500, [blue.Port]), ("v2", 500, [green.Port])),
            ProxyHarness.Table(ProxyHarness.Weights(("v1", 0), ("v2", 1000)), ("v1", 0, [blue.Port]), ("v2", 1000, [green.Port])),
        };
        await using var proxy = await ProxyHarness.StartAsync(tables[0]);
        var failures = new List<string>();
        var done = 0;

        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 300; i++)
            {
                var (status, version, body) = await proxy.GetTextAsync("web.staging.localhost");
                if (status != 200 || (version, body) is not (("v1", "blue") or ("v2", "green")))
                {
                    lock (failures)
                    {
                        failures.Add($"{status} {version} {body}");
                    }
                }
            }

            Interlocked.Increment(ref done);
        })).ToArray();
        var publishes = 0;
        while (Volatile.Read(ref done) < load.Length)
        {
            // A fresh table object each time, as the supervisor builds one per change.
            proxy.Router.Publish(tables[publishes++ % tables.Length] with { });
            await Task.Yield();
        }

        await Task.WhenAll(load).DefaultTimeout();
        Assert.Empty(failures);
        Assert.True(publishes > 3, "The tables changed only " + publishes + " times.");
        Assert.Equal(1200, proxy.Metrics.Snapshot().Releases.Sum(r => r.Requests));
    }

    [Fact]
    public async Task Publish_InstanceLeavesUnderLoad_NoRequestReachesItAfterItsCountHitZero()
    {
        await using var leaving = await TestUpstream.StartAsync("leaving");
        await using var staying = await TestUpstream.StartAsync("staying");
        await using var proxy = await ProxyHarness.StartAsync(
            ProxyHarness.Table(ProxyHarness.Weights(("v1", 1000)), ("v1", 1000, [leaving.Port, staying.Port])));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestTimeouts.Ct);
        var statuses = new List<int>();
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var status = (await proxy.GetTextAsync("web.staging.localhost")).Status;
                lock (statuses)
                {
                    statuses.Add(status);
                }
            }
        })).ToArray();
        await TestTimeouts.EventuallyAsync(() => Task.FromResult(leaving.Received.Count > 50 ? "busy" : null), "load on the leaving instance");

        // What the supervisor does to drain: publish a table without the instance, wait for its count to reach 0.
        proxy.Router.Publish(ProxyHarness.Table(ProxyHarness.Weights(("v1", 1000)), ("v1", 1000, [staying.Port])));
        await TestTimeouts.EventuallyAsync(() => Task.FromResult(proxy.Router.InFlight("v1-1") == 0 ? "drained" : null), "the drain");
        var reachedWhenDrained = leaving.Received.Count;
        var servedByThen = staying.Received.Count;
        await TestTimeouts.EventuallyAsync(() => Task.FromResult(staying.Received.Count > servedByThen + 200 ? "more" : null), "more load");
        await stop.CancelAsync();
        await Task.WhenAll(load).DefaultTimeout();

        Assert.Equal(reachedWhenDrained, leaving.Received.Count);
        Assert.All(statuses, s => Assert.Equal(200, s));
    }
}
