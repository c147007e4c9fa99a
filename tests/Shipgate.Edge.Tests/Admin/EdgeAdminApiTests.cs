using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Shipgate.Delivery.Edge;
using Shipgate.Edge.Tests.Infrastructure;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Edge.Tests.Admin;

public sealed class EdgeAdminApiTests
{
    [Fact]
    public async Task UnixSocket_IsOnlyForTheEdgesUser()
    {
        await using var edge = await RunningEdge.StartAsync();

        var socket = Path.Combine(edge.StateDirectory, "admin.sock");

        Assert.Equal("unix:" + socket, edge.Host.Connection.AdminAddress);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));
        Assert.Equal(Environment.ProcessId, (await edge.Client.GetInfoAsync(TestTimeouts.Ct).DefaultTimeout()).Pid);
    }

    [Fact]
    public async Task TcpAdmin_WithoutOrWithAWrongToken_IsRefused()
    {
        await using var edge = await RunningEdge.StartAsync(admin: "127.0.0.1:0");
        var connection = edge.Host.Connection;
        using var http = new HttpClient { BaseAddress = new Uri(connection.AdminAddress) };

        using var none = await http.GetAsync(new Uri("/v1/state", UriKind.Relative), TestTimeouts.Ct).DefaultTimeout();
        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/v1/stop") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "guess") } };
        using var wrongAnswer = await http.SendAsync(wrong, TestTimeouts.Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongAnswer.StatusCode);
        Assert.Contains("admin token", await wrongAnswer.Content.ReadAsStringAsync(TestTimeouts.Ct), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(connection.TokenFile!));
        Assert.Empty((await edge.Client.GetStateAsync(TestTimeouts.Ct).DefaultTimeout()).Services);
    }

    [Fact]
    public async Task Client_EdgeNotRunning_SaysWhichAddressItCouldNotReach()
    {
        using var client = new EdgeClient(new EdgeConnection("unix:/nonexistent/admin.sock"));

        var error = await Assert.ThrowsAsync<EdgeUnavailableException>(() => client.GetInfoAsync(TestTimeouts.Ct)).DefaultTimeout();

        Assert.Contains("unix:/nonexistent/admin.sock", error.Message);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"command\":\"true\"}")]
    [InlineData("{\"artifactDigest\":\"sha256:x\",\"command\":\"true\",\"instances\":\"two\"}")]
    public async Task PutRelease_BadBody_IsOneSentence400(string body)
    {
        await using var edge = await RunningEdge.StartAsync();
        await edge.Client.PutServiceAsync("staging", "web", new EdgeServiceSpec(), TestTimeouts.Ct).DefaultTimeout();
        using var http = SocketClient(edge);

        using var response = await http.PutAsync(
            new Uri("/v1/services/staging/web/releases/v1", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"), TestTimeouts.Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(TestTimeouts.Ct);
        Assert.StartsWith("{\"error\":\"The body is not a valid EdgeReleaseSpec", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text.Replace(" at $", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutService_FieldsLeftOut_GetTheirDefaults()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var http = SocketClient(edge);

        using var response = await http.PutAsync(
            new Uri("/v1/services/staging/web", UriKind.Relative), new StringContent("{\"hosts\":[\"Shop.Example.com\"]}", Encoding.UTF8, "application/json"), TestTimeouts.Ct)
            .DefaultTimeout();

        response.EnsureSuccessStatusCode();
        var spec = (await edge.Client.GetServiceAsync("staging", "web", TestTimeouts.Ct).DefaultTimeout())!.Spec;
        Assert.Equal(new EdgeServiceSpec { Hosts = ["shop.example.com"] } with { Hosts = spec.Hosts }, spec);
        Assert.Equal(["shop.example.com"], spec.Hosts);
    }

    [Fact]
    public async Task Metrics_ComparingMirror_DefaultsFilledAndComparisonOnTheMirroredEntry()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var release = new TestRelease();
        await edge.DeployAsync(release, "v1");
        await edge.DeployAsync(release, "v2");
        using var http = SocketClient(edge);
        const string Routing = """
            {"weights":{"v1":1000,"v2":0},"mirror":{"version":"v2","permille":1000,"compare":{"bodyPaths":["/**"]}}}
            """;

        using var put = await http.PutAsync(
            new Uri("/v1/services/staging/web/routing", UriKind.Relative), new StringContent(Routing, Encoding.UTF8, "application/json"), TestTimeouts.Ct)
            .DefaultTimeout();
        put.EnsureSuccessStatusCode();
        using var proxy = new HttpClient { BaseAddress = new Uri(edge.Host.Discovery.Listen[0]), Timeout = TestTimeouts.Default };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello?user=ann");
        request.Headers.Host = "web.staging.localhost";
        using var answer = await proxy.SendAsync(request, TestTimeouts.Ct).DefaultTimeout();
        var comparison = await TestTimeouts.EventuallyAsync(
            async () => (await edge.Client.GetMetricsAsync(TestTimeouts.Ct)).Releases.Single(r => r.Mirrored).Comparison is { Compared: 1 } c ? c : null,
            "the pair to be compared");

        var compare = (await edge.Client.GetServiceAsync("staging", "web", TestTimeouts.Ct).DefaultTimeout())!.Routing!.Mirror!.Compare!;
        Assert.Equal((true, (double?)null, 20, 256 * 1024, 0), (compare.Status, compare.LatencyRatio, compare.LatencySlackMillis, compare.MaxBodyBytes, compare.IgnoreFields.Count));
        Assert.Equal("v1\n", await answer.Content.ReadAsStringAsync(TestTimeouts.Ct));
        // Both releases answer their version: the bodies differ from the first byte on.
        Assert.Equal((1L, 1L), (comparison.Mismatched, comparison.BodyMismatches));
        var example = Assert.Single(comparison.Examples);
        Assert.Equal(("/hello?user=***", "byte 1", "v1\n", "v2\n"), (example.Path, example.BodyDifference, example.PrimaryBody, example.MirrorBody));
    }

    [Fact]
    public async Task Change_IsInTheStateFileBeforeTheCallAnswers()
    {
        await using var edge = await RunningEdge.StartAsync();

        await edge.Client.PutServiceAsync("staging", "web", new EdgeServiceSpec { HealthPath = "/ready" }, TestTimeouts.Ct).DefaultTimeout();

        var file = Path.Combine(edge.StateDirectory, "state.json");
        Assert.Contains("\"/ready\"", await File.ReadAllTextAsync(file, TestTimeouts.Ct), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public async Task Logs_Follow_GoesOnWithNewLines()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var release = new TestRelease();
        await edge.DeployAsync(release, "v1", command: "echo first; (sleep 0.2; while true; do echo tick; sleep 0.2; done) & exec python3 app.py");

        await using var lines = edge.Client.ReadLogsAsync("staging", "web", null, 100, follow: true, TestTimeouts.Ct).GetAsyncEnumerator(TestTimeouts.Ct);
        var seen = new List<string>();
        while (!seen.Contains("v1-1: tick") && await lines.MoveNextAsync().AsTask().DefaultTimeout())
        {
            seen.Add(lines.Current);
        }

        Assert.Equal("v1-1: first", seen[0]);
    }

    private static HttpClient SocketClient(RunningEdge edge)
    {
        var socket = edge.Host.Connection.AdminAddress["unix:".Length..];
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var unix = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
                await unix.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(socket), token);
                return new System.Net.Sockets.NetworkStream(unix, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://edge") };
    }
}
