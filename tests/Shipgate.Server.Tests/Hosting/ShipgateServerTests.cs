using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Hosting;

public sealed class ShipgateServerTests
{
    [Fact]
    public async Task Healthz_ServerStarted_Returns200()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Client.GetAsync("/healthz", Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("127.0.0.1", server.Url.Host);
    }

    [Fact]
    public async Task AdminToken_FirstStart_IsWrittenOwnerOnlyAndAnnouncedOnStdout()
    {
        await using var server = await RunningServer.StartAsync();
        var path = Path.Combine(server.DataDirectory, "admin.token");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.StartsWith("sg_", server.AdminToken, StringComparison.Ordinal);
        Assert.Contains(path, server.Console.ToString(), StringComparison.Ordinal);
        using var admin = server.AdminClient();
        using var response = await admin.GetAsync("/api/v1/user", Ct).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Restart_SameDataDirectory_KeepsUsersAndDoesNotRecreateAdmin()
    {
        string data;
        string token;
        await using (var first = await RunningServer.StartAsync())
        {
            first.KeepData = true;
            data = first.DataDirectory;
            token = await first.CreateUserAsync("bob", "developer");
        }

        await using var second = await RunningServer.StartAsync(dataDirectory: data);
        using var bob = second.ClientWith(token);
        using var response = await bob.GetAsync("/api/v1/user", Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("created the admin user", second.Console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_Document_DescribesTheApi()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Client.GetAsync("/openapi/v1.json", Ct).DefaultTimeout();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct).DefaultTimeout());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/users", out _), paths.ToString());
        Assert.False(paths.TryGetProperty("/healthz", out _));
        Assert.True(paths.GetProperty("/api/v1/runs").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(paths.GetProperty("/api/v1/runs/{id}/events").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("text/event-stream", out _));
        Assert.True(paths.TryGetProperty("/api/v1/hooks/github", out _));
    }

    [Fact]
    public async Task Start_BadEdgeAddress_ReportsItWithTheOtherErrors()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningServer.StartAsync(options =>
        {
            options.Port = 70000;
            options.Edge.Admin = "127.0.0.1:9000";
        })).DefaultTimeout();

        Assert.Equal(2, error.Failures.Count());
        Assert.Contains("Shipgate:Edge:Admin '127.0.0.1:9000' is neither unix:/PATH (the edge's admin socket) nor http://HOST:PORT.", error.Failures);
    }

    [Fact]
    public async Task Start_PrometheusNotAnHttpAddress_ReportsItWithTheOtherErrors()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningServer.StartAsync(options =>
        {
            options.Port = 70000;
            options.Analysis.Prometheus = ["http://prometheus:9090/", "file:///etc/passwd"];
        })).DefaultTimeout();

        Assert.Equal(2, error.Failures.Count());
        Assert.Contains("Shipgate:Analysis:Prometheus 'file:///etc/passwd' is not an http:// or https:// address of a Prometheus server.", error.Failures);
    }

    [Fact]
    public async Task Start_UiPortBadOrTheApisPort_ReportsItWithTheOtherErrors()
    {
        var bad = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningServer.StartAsync(options =>
        {
            options.Port = 70000;
            options.UiPort = -1;
            options.UiSessionLifetime = TimeSpan.FromSeconds(5);
        })).DefaultTimeout();
        var shared = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningServer.StartAsync(options =>
        {
            options.Port = 5090;
            options.UiPort = 5090;
        })).DefaultTimeout();

        Assert.Equal(3, bad.Failures.Count());
        Assert.Contains("--ui-port -1 is not a TCP port (1-65535).", bad.Failures);
        Assert.Contains("UiSessionLifetime 00:00:05 must be at least 1 minute.", bad.Failures);
        Assert.Equal(["--ui-port 5090 is also the API's (--port) port; the web UI needs a port of its own."], shared.Failures);
    }

    [Fact]
    public async Task Start_InvalidOptions_ReportsEveryError()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningServer.StartAsync(options =>
        {
            options.Port = 70000;
            options.MaxConcurrentRuns = 0;
            options.Database = "mysql://nope";
        })).DefaultTimeout();

        Assert.Equal(3, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.Contains("--port 70000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownApi_Returns404ProblemWithSentence()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Client.GetAsync("/api/v1/nothing-here", Ct).DefaultTimeout();
        var body = await response.Content.ReadAsStringAsync(Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("There is no API at /api/v1/nothing-here", body, StringComparison.Ordinal);
    }
}
