using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;
using Shipgate.Delivery.Edge;
using Shipgate.EndToEnd.Tests.Infrastructure;
using Shipgate.Flags;

namespace Shipgate.Server.Tests.Infrastructure;

/// <summary>
/// A repository whose service <c>web</c> is the .NET flag service, <c>samples/flag-service</c> (it reads its flags with
/// <c>Shipgate.Flags.Client</c>), and the calls a test makes to deploy it through a real <c>shipgate up</c> and its edge
/// and to talk to it. The service is the solution build's output (framework-dependent, <c>dotnet flag-service.dll</c>),
/// committed as the repository's <c>app/</c> folder, which the workflow uploads with <c>actions/upload-artifact</c>
/// and <c>shipgate/deploy</c> deploys: nothing is built during a test.
/// </summary>
internal static class FlagServiceRepository
{
    /// <summary>The service's name in <c>shipgate.yml</c> (and the project's: <see cref="ShipgateUp.DispatchAsync"/> adds <c>web</c>).</summary>
    public const string Service = "web";

    /// <summary>The flag <c>/checkout</c> evaluates unless <c>CHECKOUT_FLAG</c> names another.</summary>
    public const string CheckoutFlag = "new-checkout";

    /// <summary>The built service: <c>samples/flag-service/bin/CONFIGURATION/net10.0/</c> of the source tree these tests were built from.</summary>
    public static string BuildOutput => FindBuildOutput();

    /// <summary>
    /// The <c>services:</c> block of <c>shipgate.yml</c>: <paramref name="instances"/> of <c>web</c>, started with
    /// <c>dotnet flag-service.dll</c> in the unpacked artifact, healthy when <c>/healthz</c> answers 200, checked every 200 ms.
    /// </summary>
    public static string Services(int instances = 1) => $"""
        services:
          {Service}:
            run: dotnet flag-service.dll
            health: /healthz
            health-interval: 200ms
            drain-timeout: 5s
            instances: {instances.ToString(CultureInfo.InvariantCulture)}

        """;

    /// <summary>
    /// A committed repository with the built service in <c>app/</c>, <c>shipgate.yml</c> of <see cref="Services"/>
    /// followed by <paramref name="config"/> (its <c>environments:</c> and <c>flags:</c>), and
    /// <c>.github/workflows/deploy.yml</c> of <paramref name="workflow"/> (default
    /// <see cref="DeployWorkflows.DispatchToProduction"/>: uploads <c>app/</c> and deploys <c>web</c> to production).
    /// </summary>
    public static TestRepository Create(string config, int instances = 1, string workflow = DeployWorkflows.DispatchToProduction)
    {
        var repository = new TestRepository();
        try
        {
            CopyBuild(Path.Combine(repository.Root, "app"));
            repository.Write("shipgate.yml", Services(instances) + config);
            repository.Write(".github/workflows/deploy.yml", workflow);
            repository.Commit("the flag service");
            return repository;
        }
        catch
        {
            repository.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Adds <paramref name="repository"/> as the project <c>web</c>, sets the project's <paramref name="variables"/>
    /// (which every release gets; default <c>FLAG_POLL_MS=200</c>), reads the flags of <paramref name="environment"/>
    /// once (the server applies <c>shipgate.yml</c>'s flags at a flag request of the API or CLI, not at a deployment),
    /// dispatches <c>deploy.yml</c>, fails unless the run succeeds, and waits until the service uses the flags the
    /// server serves. Returns the release's version (the commit's first 7 characters).
    /// </summary>
    public static async Task<string> DeployAsync(
        this ShipgateUp up, TestRepository repository, string environment = "production", IReadOnlyDictionary<string, string>? variables = null)
    {
        await ExpectAsync(up, ["project", "add", "web", "--repo", repository.Root]);
        foreach (var (name, value) in variables ?? new Dictionary<string, string> { ["FLAG_POLL_MS"] = "200" })
        {
            await ExpectAsync(up, ["var", "set", name, value, "--project", "web"]);
        }

        await ExpectAsync(up, ["flag", "list", "--project", "web", "--env", environment]);
        await up.ExpectRunAsync(await up.DispatchAgainAsync(), "success");
        await up.WaitForServiceFlagsAsync(environment);
        return repository.Git("rev-parse", "HEAD")[..7];
    }

    /// <summary>
    /// <c>GET /checkout?user=USER</c> of <c>web</c> through the edge: the status, the body, and the <c>X-Shipgate-Flags</c>
    /// header the client got (null when none).
    /// </summary>
    public static async Task<(HttpStatusCode Status, string Body, string? FlagsHeader)> CheckoutAsync(
        this ShipgateUp up, string user, string environment = "production")
    {
        using var response = await GetAsync(up, "/checkout?user=" + Uri.EscapeDataString(user), environment);
        var header = response.Headers.TryGetValues("X-Shipgate-Flags", out var values) ? string.Join(", ", values) : null;
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct).DefaultTimeout(), header);
    }

    /// <summary>
    /// Waits until <c>/flags/ready</c> of <c>web</c> through the edge answers the ETag of the document the server serves
    /// now (with one instance: the service evaluates with it), and returns that document compiled by the library.
    /// </summary>
    public static async Task<FlagConfiguration> WaitForServiceFlagsAsync(this ShipgateUp up, string environment = "production")
    {
        var (etag, document) = await up.FlagDocumentAsync(environment);
        await EventuallyAsync(async () =>
        {
            using var ready = await GetAsync(up, "/flags/ready", environment);
            return ready.StatusCode == HttpStatusCode.OK && await ready.Content.ReadAsStringAsync(Ct) == etag ? etag : null;
        }, $"the flag service in {environment} to use the flag document {etag}");
        var parsed = FlagConfiguration.Parse(document);
        return parsed.Configuration
            ?? throw new InvalidOperationException("The server's flag document does not parse: " + string.Join(" ", parsed.Errors));
    }

    /// <summary>
    /// <c>GET /flags/v1/document</c> of project <c>web</c>'s <paramref name="environment"/>, read with the admin's token:
    /// its ETag and body.
    /// </summary>
    public static async Task<(string ETag, string Document)> FlagDocumentAsync(this ShipgateUp up, string environment = "production")
    {
        using var client = new HttpClient { BaseAddress = up.Url, Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/flags/v1/document");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", up.AdminToken);
        request.Headers.Add("X-Shipgate-Project", "web");
        request.Headers.Add("X-Shipgate-Environment", environment);
        using var response = await client.SendAsync(request, Ct).DefaultTimeout();
        var body = await response.Content.ReadAsStringAsync(Ct).DefaultTimeout();
        return response.StatusCode == HttpStatusCode.OK && response.Headers.ETag is { } etag
            ? (etag.ToString(), body)
            : throw new InvalidOperationException($"GET /flags/v1/document of {environment}: {(int)response.StatusCode} {body}");
    }

    /// <summary>The counters of the local edge that <paramref name="up"/> started (<c>GET /v1/metrics</c> of its admin API).</summary>
    public static async Task<EdgeMetricsSnapshot> EdgeMetricsAsync(this ShipgateUp up)
    {
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(up.DataDirectory, "edge", "edge.json"), Ct).DefaultTimeout());
        var tokenFile = json.RootElement.TryGetProperty("tokenFile", out var file) ? file.GetString() : null;
        using var edge = new EdgeClient(new EdgeConnection(json.RootElement.GetProperty("admin").GetString()!, tokenFile));
        return await edge.GetMetricsAsync(Ct).DefaultTimeout();
    }

    /// <summary>The edge's counters of <paramref name="version"/>'s answers per flag and variant (primary traffic; empty before the first).</summary>
    public static async Task<IReadOnlyList<EdgeFlagMetrics>> FlagCountsAsync(this ShipgateUp up, string version) =>
        (await up.EdgeMetricsAsync()).Releases.SingleOrDefault(r => r.Version == version && !r.Mirrored)?.Flags ?? [];

    private static async Task<HttpResponseMessage> GetAsync(ShipgateUp up, string path, string environment)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(await up.EdgeAsync(), path));
        request.Headers.Host = $"{Service}.{environment}.localhost";
        return await client.SendAsync(request, Ct).DefaultTimeout();
    }

    private static async Task ExpectAsync(ShipgateUp up, string[] arguments)
    {
        var result = await up.RunAsync(arguments);
        Assert.True(result.ExitCode == 0, $"shipgate {string.Join(' ', arguments)}: {result}");
    }

    private static void CopyBuild(string target)
    {
        foreach (var file in Directory.EnumerateFiles(BuildOutput, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(BuildOutput, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }

    private static string FindBuildOutput()
    {
        var configuration = typeof(FlagServiceRepository).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var output = Path.Combine(SourceTree.Root, "samples", "flag-service", "bin", configuration, "net10.0");
        return File.Exists(Path.Combine(output, "flag-service.dll"))
            ? output
            : throw new InvalidOperationException(
                $"The flag service is not built: {output} has no flag-service.dll. "
                + $"Build the solution first (dotnet build Shipgate.slnx -c {configuration}).");
    }
}
