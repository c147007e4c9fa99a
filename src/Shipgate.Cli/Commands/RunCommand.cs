using System.CommandLine;
using System.Runtime.InteropServices;
using Shipgate.Cli.Run;
using Shipgate.Core.Triggers;
using Shipgate.Core.Workflows;
using Shipgate.Edge.Hosting;
using Shipgate.Engine.Actions;
using Shipgate.Engine.Runs;
using Shipgate.Engine.Sandbox;
using Spectre.Console;

namespace Shipgate.Cli.Commands;

/// <summary>
/// <c>shipgate run WORKFLOW_FILE</c>: runs a workflow on this machine, like a local runner.
/// Exit 0 when the run succeeds, 1 when it fails or is cancelled, 2 for an invalid workflow or usage.
/// </summary>
internal static class RunCommand
{
    private static readonly string[] Events = ["push", "pull_request", "workflow_dispatch", "schedule"];

    public static Command Create()
    {
        var workflow = new Argument<string>("workflow") { Description = "The workflow file to run." };
        var repo = new Option<string?>("--repo") { Description = "The git repository the run is for. Default: the repository that holds the workflow file." };
        var eventName = new Option<string>("--event") { Description = "The event that triggers the run.", DefaultValueFactory = _ => "push" };
        eventName.AcceptOnlyFromAmong(Events);
        var gitRef = new Option<string?>("--ref") { Description = "The ref (refs/heads/main, or a branch or tag name). Default: the current branch." };
        var sha = new Option<string?>("--sha") { Description = "The commit. Default: the commit the ref points at." };
        var inputs = new Option<string[]>("--input") { Description = "A workflow_dispatch input, NAME=VALUE (repeatable).", AllowMultipleArgumentsPerToken = false };
        var secrets = new Option<string[]>("--secret") { Description = $"A secret, NAME=VALUE (repeatable). Also read from {SecretSources.EnvironmentPrefix}NAME variables." };
        var secretFiles = new Option<string[]>("--secret-file") { Description = "A dotenv file of secrets (repeatable)." };
        var vars = new Option<string[]>("--var") { Description = "A configuration variable for the vars context, NAME=VALUE (repeatable)." };
        var job = new Option<string?>("--job") { Description = "Run only this job and the jobs it needs." };
        var approveAs = new Option<string[]>("--approve-as") { Description = "Answer approval gates as this user, who must be an approver (repeatable for several approvals)." };
        var data = new Option<string?>("--data") { Description = "Where logs, artifacts and caches go. Default: .shipgate/ in the repository." };
        var json = new Option<bool>("--json") { Description = "Print a JSON summary on stdout at the end (progress goes to stderr)." };
        var edgePort = new Option<int>("--edge-port")
        {
            Description = "The port of the local edge shipgate/deploy starts (state in DATA/edge) when none runs yet (0: a free one).",
            DefaultValueFactory = _ => 8080,
        };
        edgePort.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 65535)
            {
                result.AddError($"--edge-port {result.GetValueOrDefault<int>()} is not a TCP port (1-65535).");
            }
        });
        var isolate = new Option<bool>("--isolate")
        {
            Description = "Run each job's processes in a bubblewrap sandbox, as the server does: the data directory hidden but for the job's own directories, a clean environment.",
        };

        var command = new Command("run", "Run a workflow on this machine.")
        {
            workflow, repo, eventName, gitRef, sha, inputs, secrets, secretFiles, vars, job, approveAs, data, json, isolate, edgePort,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            new RunArguments(
                parse.GetValue(workflow)!,
                parse.GetValue(repo),
                parse.GetValue(eventName)!,
                parse.GetValue(gitRef),
                parse.GetValue(sha),
                parse.GetValue(inputs) ?? [],
                parse.GetValue(secrets) ?? [],
                parse.GetValue(secretFiles) ?? [],
                parse.GetValue(vars) ?? [],
                parse.GetValue(job),
                parse.GetValue(approveAs) ?? [],
                parse.GetValue(data),
                parse.GetValue(json),
                parse.GetValue(isolate),
                parse.GetValue(edgePort)),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(RunArguments arguments, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(arguments.Workflow);
        if (!File.Exists(path))
        {
            throw new UserInputException(Directory.Exists(path)
                ? $"'{arguments.Workflow}' is a directory; give a workflow file."
                : $"The workflow file '{arguments.Workflow}' does not exist.");
        }

        var loaded = WorkflowLoader.LoadFile(path);
        foreach (var diagnostic in loaded.Diagnostics)
        {
            Console.Error.WriteLine(diagnostic);
        }

        if (loaded.HasErrors || loaded.Workflow is null)
        {
            return CliHost.InvalidInput;
        }

        var repository = arguments.Repo is not null ? Path.GetFullPath(arguments.Repo) : GitInfo.FindRepositoryRoot(Path.GetDirectoryName(path)!);
        if (repository is null || !Directory.Exists(repository))
        {
            throw new UserInputException(arguments.Repo is null
                ? $"'{arguments.Workflow}' is not inside a git repository; pass --repo DIR."
                : $"The repository '{arguments.Repo}' does not exist.");
        }

        if (arguments.Job is not null && loaded.Workflow.FindJob(arguments.Job) is null)
        {
            throw new UserInputException($"The workflow has no job '{arguments.Job}'; its jobs are {string.Join(", ", loaded.Workflow.Jobs.Select(j => j.Id))}.");
        }

        WarnWhenNotTriggered(loaded.Workflow, repository, arguments);
        if (arguments.Isolate && StepSandbox.FindProblem() is { } problem)
        {
            throw new UserInputException(problem.Replace("Shipgate__StepIsolation=none", "run without --isolate", StringComparison.Ordinal));
        }

        var environment = Environment.GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
        var interactive = !Console.IsInputRedirected && !Console.IsOutputRedirected && !arguments.Json;
        var gate = new CliApprovalGate(arguments.ApproveAs, interactive, Console.In, Console.Out);
        var dataDirectory = arguments.Data is null ? DefaultDataDirectory(repository) : Path.GetFullPath(arguments.Data);

        // Deploys go to a local edge under the run's data directory, started on first use and left running (the service
        // stays up); its instances are isolated as the run's steps are.
        using var edge = new LazyEdgeClient(new EdgeLaunchOptions
        {
            StateDirectory = Path.Combine(dataDirectory, "edge"),
            Listen = $"127.0.0.1:{arguments.EdgePort.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            Isolate = arguments.Isolate,
            Hidden = [dataDirectory],
        });
        var request = new RunRequest
        {
            Workflow = loaded.Workflow,
            RepositoryDirectory = repository,
            EventName = arguments.Event,
            Ref = arguments.Ref,
            Sha = arguments.Sha,
            Inputs = ToDictionary(KeyValueArguments.Parse(arguments.Inputs, "--input")),
            Secrets = SecretSources.Collect(environment, arguments.SecretFiles, arguments.Secrets),
            Variables = ToDictionary(KeyValueArguments.Parse(arguments.Vars, "--var")),
            Actor = GitInfo.UserName(repository) ?? Environment.UserName,
            DataDirectory = dataDirectory,
            JobFilter = arguments.Job,
            ApprovalGate = gate,
            Services = edge,
        };

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);

        var engine = new RunEngine(new RunEngineOptions { Sandbox = arguments.Isolate ? new StepSandbox() : null }, BuiltinActions.CreateDefault().Values.Concat(Shipgate.Server.Deployments.DeploymentActions.Create()));
        RunResult result;
        if (interactive)
        {
            var live = new LiveRunRenderer(AnsiConsole.Console);
            gate.AroundPrompt = ask => live.PauseWhileAsync(ask);
            live.Start();
            await using (live.ConfigureAwait(false))
            {
                result = await engine.RunAsync(request, live, cancel.Token).ConfigureAwait(false);
            }
        }
        else
        {
            var progress = arguments.Json ? Console.Error : Console.Out;
            result = await engine.RunAsync(request, new PlainRunRenderer(progress), cancel.Token).ConfigureAwait(false);
        }

        if (arguments.Json)
        {
            using var stdout = Console.OpenStandardOutput();
            RunSummaryWriter.Write(stdout, result);
        }

        return result.Conclusion == Conclusion.Success ? CliHost.Success : CliHost.Failed;

        void Cancel(PosixSignalContext context)
        {
            // Keep the process alive: cancelling kills the running steps, then runs always() steps.
            context.Cancel = true;
            Console.Error.WriteLine("shipgate: cancelling the run (the running steps are stopped, then steps that ask for always() or cancelled() run)");
            cancel.Cancel();
        }
    }

    /// <summary>
    /// <c>.shipgate/</c> of the repository, which may also hold <c>.shipgate/workflows</c>. A .gitignore
    /// there keeps runs, logs, artifacts and caches out of git while workflows stay in.
    /// </summary>
    private static string DefaultDataDirectory(string repository)
    {
        var data = Path.Combine(repository, ".shipgate");
        var ignore = Path.Combine(data, ".gitignore");
        if (!File.Exists(ignore))
        {
            Directory.CreateDirectory(data);
            File.WriteAllText(ignore, "# Written by shipgate run: run data stays out of git, workflows stay in.\n/*\n!/.gitignore\n!/workflows/\n");
        }

        return data;
    }

    /// <summary>Says so when GitHub would not start this workflow for the event; the run goes ahead, as asked.</summary>
    private static void WarnWhenNotTriggered(WorkflowDefinition workflow, string repository, RunArguments arguments)
    {
        var gitRef = arguments.Ref is null ? GitInfo.HeadRef(repository) : GitInfo.ExpandRef(repository, arguments.Ref) ?? arguments.Ref;
        var match = TriggerMatcher.Match(workflow.On, new TriggerEvent { Name = arguments.Event, Ref = gitRef, BaseRef = gitRef });
        if (!match.Matches)
        {
            Console.Error.WriteLine($"shipgate: warning: {match.Reason}; running it anyway because it was asked for.");
        }
    }

    private static Dictionary<string, string> ToDictionary(List<KeyValuePair<string, string>> pairs)
    {
        var dictionary = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in pairs)
        {
            dictionary[name] = value;
        }

        return dictionary;
    }

    private sealed record RunArguments(
        string Workflow,
        string? Repo,
        string Event,
        string? Ref,
        string? Sha,
        string[] Inputs,
        string[] Secrets,
        string[] SecretFiles,
        string[] Vars,
        string? Job,
        string[] ApproveAs,
        string? Data,
        bool Json,
        bool Isolate,
        int EdgePort);
}
