using System.Runtime.Versioning;
using Shipgate.Engine.Actions.Builtin;
using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Tests.Actions.Builtin;

[UnsupportedOSPlatform("windows")]
public sealed class SetupNodeActionTests : IDisposable
{
    /// <summary>
    /// Downloads survive test runs here, so the install test fetches node's 40 MB once per machine; the
    /// install itself (unpacking into a fresh tool cache) still runs every time.
    /// </summary>
    private static readonly string DownloadCache = Path.Combine(Path.GetTempPath(), "shipgate-test-downloads");

    private readonly FakeActionContext _context = new();

    public void Dispose() => _context.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string NodeVersion(string node) => TestProcess.Run(Directory.GetCurrentDirectory(), node, "--version");

    [Fact]
    public async Task Run_HostNodeSatisfies_UsesItWithoutTheNetwork()
    {
        var hostVersion = NodeVersion("node");
        var major = hostVersion.TrimStart('v').Split('.')[0];
        using var offline = new HttpClient(new OfflineHandler());
        _context.With("node-version", $"{major}.x");

        var result = await new SetupNodeAction(offline).RunAsync(_context, Token).DefaultTimeout();

        Assert.True(result.Conclusion == Conclusion.Success, result.Message);
        Assert.Equal(hostVersion, _context.Outputs["node-version"]);
        Assert.Single(_context.AddedPaths);
    }

    [Fact]
    public async Task Run_VersionFileWithRange_UsesHostNode()
    {
        var hostVersion = NodeVersion("node");
        File.WriteAllText(Path.Combine(_context.Workspace, ".nvmrc"), ">=" + hostVersion.TrimStart('v').Split('.')[0] + "\n");
        using var offline = new HttpClient(new OfflineHandler());

        var result = await new SetupNodeAction(offline).RunAsync(_context.With("node-version-file", ".nvmrc"), Token).DefaultTimeout();

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal(hostVersion, _context.Outputs["node-version"]);
    }

    [Fact]
    public async Task Run_VersionNotOnHost_InstallsFromTheNpmRegistryIntoTheToolCache()
    {
        using var http = new HttpClient { Timeout = TestTimeouts.Download };
        _context.With("node-version", "18.20.4");

        var result = await new SetupNodeAction(http, DownloadCache).RunAsync(_context, Token).WaitAsync(TestTimeouts.Download, Token);

        Assert.True(result.Conclusion == Conclusion.Success, result.Message);
        Assert.Equal("v18.20.4", _context.Outputs["node-version"]);
        var bin = Path.Combine(_context.ToolCache, "node", "18.20.4", "x64", "bin");
        Assert.Equal(bin, _context.AddedPaths.Single());
        Assert.Equal("v18.20.4", NodeVersion(Path.Combine(bin, "node")));
        Assert.True(File.Exists(Path.Combine(_context.ToolCache, "node", "18.20.4", "x64.complete")));

        // The next job finds it in the tool cache, without the network.
        using var offline = new HttpClient(new OfflineHandler());
        var next = _context.NextStep().With("node-version", "18");
        var again = await new SetupNodeAction(offline).RunAsync(next, Token).DefaultTimeout();
        Assert.Equal(Conclusion.Success, again.Conclusion);
        Assert.Equal("v18.20.4", next.Outputs["node-version"]);
    }

    [Fact]
    public async Task Run_OfflineAndNotOnHost_FailsClearly()
    {
        using var offline = new HttpClient(new OfflineHandler());
        _context.Environment["npm_config_registry"] = "http://registry.invalid/";
        _context.With("node-version", "12");

        var result = await new SetupNodeAction(offline).RunAsync(_context, Token).DefaultTimeout();

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        Assert.StartsWith("Node.js 12 was requested, but this host has Node.js v", result.Message, StringComparison.Ordinal);
        Assert.Contains("could not be downloaded from http://registry.invalid/", result.Message, StringComparison.Ordinal);
        Assert.Empty(_context.AddedPaths);
    }

    [Theory]
    [InlineData("lts/iron", "20")]
    [InlineData("lts/hydrogen", "18")]
    public async Task Run_LtsAlias_MapsToItsMajor(string alias, string major)
    {
        var hostMajor = NodeVersion("node").TrimStart('v').Split('.')[0];
        using var offline = new HttpClient(new OfflineHandler());
        _context.Environment["npm_config_registry"] = "http://registry.invalid/";

        var result = await new SetupNodeAction(offline).RunAsync(_context.With("node-version", alias), Token).DefaultTimeout();

        // The host has one node: the alias either names its major (success) or another one (no download offline).
        Assert.Equal(hostMajor == major ? Conclusion.Success : Conclusion.Failure, result.Conclusion);
        if (result.Conclusion == Conclusion.Failure)
        {
            Assert.Contains($"Node.js {major} was requested", result.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Run_RegistryUrl_WritesAnNpmrcForNodeAuthToken()
    {
        using var offline = new HttpClient(new OfflineHandler());
        _context.With("node-version", "*").With("registry-url", "https://npm.example.com").With("scope", "acme");

        await new SetupNodeAction(offline).RunAsync(_context, Token).DefaultTimeout();

        var npmrc = File.ReadAllText(_context.ExportedVariables["NPM_CONFIG_USERCONFIG"]);
        Assert.Contains("//npm.example.com/:_authToken=${NODE_AUTH_TOKEN}", npmrc, StringComparison.Ordinal);
        Assert.Contains("@acme:registry=https://npm.example.com/", npmrc, StringComparison.Ordinal);
    }

    /// <summary>A handler that fails every request as a machine without network would.</summary>
    private sealed class OfflineHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException($"Name or service not known ({request.RequestUri?.Host}:80)");
    }
}
