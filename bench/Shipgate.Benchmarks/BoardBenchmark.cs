using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Shipgate.Server;
using Shipgate.Server.Auth;
using Shipgate.Server.Hosting;
using Shipgate.Server.Projects;
using Shipgate.Server.Ui;
using Shipgate.Storage.Deployments;
using Shipgate.Storage.Users;

namespace Shipgate.Benchmarks;

/// <summary>
/// The release board's server-side rendering (issue #11's target: 50 services × 4 environments with 10,000 runs in the
/// store in at most 300 ms): seeds a SQLite store and a git repository, then builds the board's model and renders its
/// page to a string, as <c>GET /</c> does, and prints the first (cold: git asked for every commit) and the median of
/// the following rounds. <c>dotnet run -c Release --project bench/Shipgate.Benchmarks -- board [--rounds 20]</c>.
/// </summary>
internal static class BoardBenchmark
{
    private const int Services = 50;
    private static readonly string[] Environments = ["dev", "staging", "canary", "production"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var rounds = args is ["--rounds", var r, ..] ? int.Parse(r, CultureInfo.InvariantCulture) : 20;
        var data = Directory.CreateTempSubdirectory("shipgate-board-bench-").FullName;
        try
        {
            var repository = Path.Combine(data, "repo");
            var shas = CreateRepository(repository);
            await StoreSeeder.RunAsync(["--data", data, "--project", "board", "--repo", repository, "--runs", "10000", "--sha", shas[0]]);

            var options = Options.Create(new ServerOptions { DataDirectory = data });
            await using var store = new ServerStore(options, TimeProvider.System, NullLoggerFactory.Instance);
            await store.OpenAsync();
            await SeedDeploymentsAsync(store, shas);

            var board = new ReleaseBoard(store, new CommitSummaries(new ProjectRepositories(options)), TimeProvider.System);
            var caller = new Caller(1, "admin", UserRole.Admin, []);
            var forgery = new AntiforgeryTokenSet("request-token", "cookie-token", "__RequestVerificationToken", null);
            var times = new List<double>();
            var size = 0;
            for (var i = 0; i <= rounds; i++)
            {
                var watch = Stopwatch.StartNew();
                var page = await board.BuildAsync(caller);
                using var writer = new StringWriter(CultureInfo.InvariantCulture);
                var frame = new UiFrame("Release board", "admin", "admin", forgery, ["board"], "board");
                await Server.Ui.Slices.Board.Create(new UiView<BoardPage>(frame, page)).RenderAsync(writer, HtmlEncoder.Default);
                times.Add(watch.Elapsed.TotalMilliseconds);
                size = writer.GetStringBuilder().Length;
            }

            var warm = times.Skip(1).Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"release board, {Services} services x {Environments.Length} environments, 10,000 runs: first {times[0]:F1} ms (git asked for {shas.Count} commits), "
                + $"median {warm[warm.Count / 2]:F1} ms, p90 {warm[(int)(warm.Count * 0.9)]:F1} ms over {rounds} rounds; page {size / 1024} KiB"));
            return 0;
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>A repository with one commit per service, so every release has its own message and author.</summary>
    private static List<string> CreateRepository(string path)
    {
        Directory.CreateDirectory(path);
        Git(path, "init", "--quiet", "--initial-branch=main");
        var shas = new List<string>();
        for (var i = 0; i < Services; i++)
        {
            Git(path, "-c", "user.name=Dev Eloper", "-c", "user.email=dev@example.com", "commit", "--quiet", "--allow-empty", "-m", $"Change service-{i:D2}: a commit message of usual length");
            shas.Add(Git(path, "rev-parse", "HEAD").Trim());
        }

        return shas;
    }

    private static async Task SeedDeploymentsAsync(ServerStore server, IReadOnlyList<string> shas)
    {
        var store = server.Store;
        var project = (await store.Projects.GetByNameAsync("board"))!;
        foreach (var environment in Environments)
        {
            await store.Deployments.UpsertEnvironmentAsync(project.Id, environment, shas[0], "{}");
        }

        for (var service = 0; service < Services; service++)
        {
            var release = await store.Deployments.GetOrCreateReleaseAsync(new NewRelease
            {
                ProjectId = project.Id, Service = $"service-{service:D2}", Version = shas[service][..7], ArtifactDigest = "sha256:" + new string('0', 64), CommitSha = shas[service],
            });
            foreach (var environment in Environments)
            {
                var deployment = await store.Deployments.CreateDeploymentAsync(new NewDeployment { ReleaseId = release.Id, Environment = environment, Strategy = "rolling" });
                await store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing);
                await store.Deployments.CompleteDeploymentAsync(deployment.Id, new DeploymentOutcome { Status = DeploymentStatus.Succeeded });
            }
        }
    }

    private static string Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed");
    }
}
