using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shipgate.Delivery.Edge;
using Shipgate.Server.Auth;
using Shipgate.Server.Git;
using Shipgate.Server.Hosting;
using Shipgate.Server.Runs;
using Shipgate.Server.Triggers;
using Shipgate.Server.Workflows;
using Shipgate.Storage.Audit;
using Shipgate.Storage.Projects;
using Shipgate.Storage.Runs;
using Shipgate.Storage.Users;

namespace Shipgate.Server.Demo;

/// <summary>
/// <c>shipgate up --demo</c>: makes a git repository of the bundled sample service in <c>DATA/demo</c>,
/// registers it as the project <c>hello-service</c>, creates the approver <c>alice</c> (token in
/// <c>DATA/demo/alice.token</c>), and starts its continuous delivery pipeline, which builds, tests,
/// deploys to staging through the local edge and then waits for alice's approval. Done once: a later start
/// finds it all there.
/// </summary>
internal sealed class DemoSetup(
    ServerStore store,
    RunLauncher launcher,
    WorkflowCatalog catalog,
    RepositoryWatcher watcher,
    IOptions<ServerOptions> options,
    ServerConsole console,
    ILogger<DemoSetup> logger,
    IEdgeClient? edge = null) : IHostedService
{
    public const string ProjectName = "hello-service";
    private const string SampleDirectory = "samples/hello-service";
    private const string Workflow = ".github/workflows/delivery.yml";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Demo)
        {
            return;
        }

        var sample = FindSample();
        if (sample is null)
        {
            console.WriteLine($"shipgate: --demo needs the bundled sample ({SampleDirectory}), which is not next to this shipgate; run it from a Shipgate checkout (dotnet run --project src/Shipgate.Cli -- up --demo).");
            return;
        }

        var demo = Path.Combine(options.Value.DataDirectory!, "demo");
        var repository = new GitRepository(Path.Combine(demo, ProjectName));
        if (!await repository.IsRepositoryAsync(cancellationToken).ConfigureAwait(false))
        {
            await CreateRepositoryAsync(sample, repository, cancellationToken).ConfigureAwait(false);
        }

        var project = await store.Store.Projects.GetByNameAsync(ProjectName, cancellationToken).ConfigureAwait(false)
            ?? await store.Store.Projects.CreateAsync(
                new NewProject { Name = ProjectName, Repository = repository.Directory, DefaultBranch = "main", WebhookSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) },
                new NewAuditEntry { Actor = "shipgate", Action = "project.create", Target = "project/" + ProjectName, Reason = "shipgate up --demo" },
                cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The demo project could not be created.");
        var head = await repository.ResolveCommitAsync("refs/heads/main", cancellationToken).ConfigureAwait(false)!;
        watcher.Track(project, head!);

        var aliceToken = Path.Combine(demo, "alice.token");
        if (await store.Store.Users.GetUserAsync("alice", cancellationToken).ConfigureAwait(false) is null)
        {
            var alice = await store.Store.Users.CreateUserAsync(
                new NewUser { Name = "alice", Role = UserRole.Approver, Emails = ["alice@example.com"] },
                new NewAuditEntry { Actor = "shipgate", Action = "user.create", Target = "user/alice", Reason = "shipgate up --demo" },
                cancellationToken).ConfigureAwait(false);
            if (alice is not null)
            {
                var token = await store.Store.Users.CreateTokenAsync(alice.Id, "demo", null, cancellationToken).ConfigureAwait(false);
                AdminBootstrap.WriteOwnerOnly(aliceToken, token.Token + "\n");
            }
        }

        var runs = await store.Store.Runs.ListRunsAsync(new RunQuery { ProjectId = project.Id, Limit = 1 }, cancellationToken).ConfigureAwait(false);
        var run = runs.FirstOrDefault();
        if (run is null)
        {
            var workflow = WorkflowCatalog.Find(await catalog.LoadAsync(repository, head!, cancellationToken).ConfigureAwait(false), Workflow)
                ?? throw new InvalidOperationException($"The demo repository has no {Workflow}.");
            run = await launcher.QueueAsync(project, workflow, "workflow_dispatch", "refs/heads/main", head!, AdminBootstrap.AdminName, AdminBootstrap.AdminName, null, cancellationToken).ConfigureAwait(false);
        }

        DemoLog.Ready(logger, ProjectName, run.Id);
        if (await EdgeAddressAsync(cancellationToken).ConfigureAwait(false) is { } edge)
        {
            console.WriteLine($"shipgate: demo: the local edge serves each deployment: open http://{ProjectName}.staging.localhost:{edge.Port}/ once staging is deployed (and .production. once approved).");
        }

        var id = run.Id.ToString(CultureInfo.InvariantCulture);
        if (run.Status == RunStatus.Completed)
        {
            // A later start on the same data: say what happened rather than what to wait for.
            console.WriteLine($"shipgate: demo: {ProjectName} ({repository.Directory}) ran its delivery pipeline as run {id}, which ended: {RunMapping.Conclusion(run.Conclusion) ?? "unknown"}; commit to that repository to start another run.");
            return;
        }

        console.WriteLine($"shipgate: demo: {ProjectName} ({repository.Directory}) runs its delivery pipeline as run {id}: follow it with 'shipgate logs {id} --follow'.");
        console.WriteLine($"shipgate: demo: it waits for alice before production; approve as alice with: SHIPGATE_TOKEN=$(cat {aliceToken}) shipgate approve $(shipgate approvals list --status pending --json | grep -o '\"id\":[0-9]*' | head -1 | cut -d: -f2)");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The edge's proxy address, or null when no edge is configured or it does not answer (the demo still runs).</summary>
    private async Task<Uri?> EdgeAddressAsync(CancellationToken cancellationToken)
    {
        if (edge is null)
        {
            return null;
        }

        try
        {
            var info = await edge.GetInfoAsync(cancellationToken).ConfigureAwait(false);
            return info.Listen.Count > 0 && Uri.TryCreate(info.Listen[0], UriKind.Absolute, out var address) ? address : null;
        }
        catch (Exception ex) when (ex is EdgeUnavailableException or EdgeApiException)
        {
            return null;
        }
    }

    /// <summary>The sample next to the binary's source checkout, or under the working directory.</summary>
    private static string? FindSample()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, SampleDirectory);
                if (File.Exists(Path.Combine(candidate, Workflow)))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The sample keeps its layout (its workflow runs in samples/hello-service), with the delivery
    /// workflow at the repository root where Shipgate looks for workflows.
    /// </summary>
    private static async Task CreateRepositoryAsync(string sample, GitRepository repository, CancellationToken cancellationToken)
    {
        var target = Path.Combine(repository.Directory, SampleDirectory);
        foreach (var file in Directory.EnumerateFiles(sample, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(sample, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "node_modules" or "dist" or ".shipgate"))
            {
                continue;
            }

            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(destination, File.GetUnixFileMode(file));
            }
        }

        var workflows = Path.Combine(repository.Directory, ".github", "workflows");
        Directory.CreateDirectory(workflows);
        File.Copy(Path.Combine(sample, Workflow), Path.Combine(workflows, "delivery.yml"), overwrite: true);

        // The server reads shipgate.yml (the service, its environments) at the repository's root.
        File.Copy(Path.Combine(sample, "shipgate.yml"), Path.Combine(repository.Directory, "shipgate.yml"), overwrite: true);
        foreach (var arguments in new[]
        {
            new[] { "init", "--quiet", "--initial-branch=main" },
            ["add", "-A"],
            ["-c", "user.name=Shipgate Demo", "-c", "user.email=demo@shipgate.invalid", "commit", "--quiet", "-m", "The sample service of Shipgate"],
        })
        {
            var result = await repository.RunAsync(arguments, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"git {arguments[0]} in {repository.Directory} failed: {result.FirstErrorLine}");
            }
        }
    }
}
