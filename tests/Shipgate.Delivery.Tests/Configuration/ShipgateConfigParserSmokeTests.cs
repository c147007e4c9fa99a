using Shipgate.Delivery.Configuration;
using static Shipgate.Delivery.Tests.Configuration.TestConfigs;

namespace Shipgate.Delivery.Tests.Configuration;

public sealed class ShipgateConfigParserSmokeTests
{
    [Fact]
    public void Parse_SmokeWatchAndRollbackWindow_AreRead()
    {
        var environment = Assert.Single(Valid(Environment("""
                strategy: blue-green
                watch: 5m
                rollback-window: 1h
                smoke:
                  - path: /health
                  - name: home page
                    path: /?q=1
                    method: head
                    status: 204
                    body-contains: hello
                    max-latency: 500ms
                    host: www.example.com
                  - path: /version
                    body-matches: '^v\d+$'
                    max-latency: 2s

            """)).Environments);

        Assert.Equal(TimeSpan.FromMinutes(5), environment.Watch);
        Assert.Equal(TimeSpan.FromHours(1), environment.RollbackWindow);
        Assert.Equal(3, environment.Smoke.Count);
        Assert.Equal(new SmokeCheck { Path = "/health", Location = At(7, 9) }, environment.Smoke[0]);
        var home = environment.Smoke[1];
        Assert.Equal(("home page", "/?q=1", "HEAD", 204, "hello", TimeSpan.FromMilliseconds(500), "www.example.com"), (home.Name, home.Path, home.Method, home.Status, home.BodyContains, home.MaxLatency, home.Host));
        Assert.Equal(("GET /version", @"^v\d+$", TimeSpan.FromSeconds(2)), (environment.Smoke[2].DisplayName, environment.Smoke[2].BodyMatches, environment.Smoke[2].MaxLatency));
    }

    [Fact]
    public void Parse_NoSmokeKeys_HasTheDefaults()
    {
        var environment = Assert.Single(Valid(Environment("    mode: deployment\n")).Environments);

        Assert.Equal((TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(15), 0), (environment.Watch, environment.RollbackWindow, environment.Smoke.Count));
    }

    [Fact]
    public void Parse_WatchZero_IsAllowed() =>
        Assert.Equal(TimeSpan.Zero, Assert.Single(Valid(Environment("    watch: 0s\n")).Environments).Watch);

    [Theory]
    [InlineData("smoke: /health", 3, 12, "'environments.e.smoke' must be a list of checks, each with at least 'path', not a string")]
    [InlineData("smoke: [{ method: GET }]", 3, 13, "'environments.e.smoke[0]' needs 'path': the path to request, such as /health")]
    [InlineData("smoke: [{ path: health }]", 3, 21, "'environments.e.smoke[0].path' must be a path starting with '/', such as /health, not 'health'")]
    [InlineData("smoke: [{ path: /, method: FETCH }]", 3, 32, "'environments.e.smoke[0].method' must be GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS, not 'FETCH'")]
    [InlineData("smoke: [{ path: /, status: 700 }]", 3, 32, "'environments.e.smoke[0].status' must be a whole number from 100 to 599, not '700'")]
    [InlineData("smoke: [{ path: /, max-latency: fast }]", 3, 37, "'environments.e.smoke[0].max-latency' must be a duration from 1ms to 5m such as 500ms, 2s or 1m, not 'fast'")]
    [InlineData("smoke: [{ path: /, body-matches: '(' }]", 3, 38, "'environments.e.smoke[0].body-matches' is not a valid regular expression: Invalid pattern '(' at offset 1. Not enough )'s.")]
    [InlineData("smoke: [{ path: /, body-contains: a, body-matches: b }]", 3, 13, "'environments.e.smoke[0]' has both 'body-contains' and 'body-matches'; use one")]
    [InlineData("smoke: [{ path: /, host: 'http://x' }]", 3, 30, "'environments.e.smoke[0].host' must be a host name without scheme or port, not 'http://x'")]
    [InlineData("smoke: [{ path: /, run: ./check.sh }]", 3, 24, "'environments.e.smoke[0].run' is not supported: smoke checks are HTTP requests; run a command as a step of the job, in its sandbox")]
    [InlineData("watch: 5 minutes", 3, 12, "'environments.e.watch' must be a duration such as 90s, 30m, 24h, 7d or 1h30m, not '5 minutes'")]
    [InlineData("rollback-window: 8d\n    strategy: blue-green", 3, 22, "'environments.e.rollback-window' must be from 0s to 7d, not '8d'")]
    public void Parse_BadSmokeOrWatch_IsErrorAtTheValue(string yaml, int line, int column, string message)
    {
        var error = SingleError(Environment($"    {yaml}\n"));

        Assert.Equal(At(line, column), error.Location);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_RollbackWindowWithRolling_IsAWarning()
    {
        var warning = Assert.Single(Load(Environment("    rollback-window: 5m\n")).Diagnostics);

        Assert.Equal("'environments.e.rollback-window' applies to strategy blue-green only; a rolling deployment stops the old release after its watch", warning.Message);
    }

    [Fact]
    public void Parse_ServiceHealthAndDrainSettings_AreRead()
    {
        var service = Assert.Single(Valid("""
            services:
              web:
                run: ./web
                health-interval: 500ms
                health-timeout: 3s
                drain-timeout: 0s

            """).Services);

        Assert.Equal((TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3), TimeSpan.Zero), (service.HealthInterval, service.HealthTimeout, service.DrainTimeout));
    }

    [Fact]
    public void Parse_ServiceWithoutSettings_HasTheDefaults()
    {
        var service = Assert.Single(Valid("services:\n  web:\n    run: ./web\n").Services);

        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30)), (service.HealthInterval, service.HealthTimeout, service.DrainTimeout));
    }

    [Fact]
    public void Parse_BadHealthInterval_IsErrorAtTheValue()
    {
        var error = SingleError("services:\n  web:\n    run: ./web\n    health-interval: 10ms\n");

        Assert.Equal(At(4, 22), error.Location);
        Assert.Equal("'services.web.health-interval' must be a duration from 100ms to 5m such as 500ms, 2s or 1m, not '10ms'", error.Message);
    }

    [Fact]
    public void SmokeChecksParser_JsonList_IsRead()
    {
        var checks = SmokeChecksParser.Parse("""[{"path": "/health", "status": 200}, {"path": "/", "body-contains": "hi"}]""", "checks", out var errors);

        Assert.Empty(errors);
        Assert.Equal(["GET /health", "GET /"], checks!.Select(c => c.DisplayName));
    }

    [Fact]
    public void SmokeChecksParser_BadList_ReportsEveryError()
    {
        var checks = SmokeChecksParser.Parse("- path: x\n- status: 1\n", "checks", out var errors);

        Assert.Null(checks);
        Assert.Equal(3, errors.Count);
    }
}
