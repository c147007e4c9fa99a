using Shipgate.Core.Expressions;
using Shipgate.Engine.Commands;
using Shipgate.Engine.Contexts;
using Shipgate.Engine.Processes;
using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Steps;

/// <summary>
/// Starts a step's process with the environment GitHub's runner gives it (the host's, the default
/// GITHUB_* and RUNNER_* variables, the env context, fresh file-command files, PATH with GITHUB_PATH
/// additions), feeds its output through the workflow commands, and applies its file commands.
/// </summary>
internal static class StepProcess
{
    public static async Task<StepBodyResult> RunAsync(
        JobState job,
        string fileName,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string> env,
        ObjectValue github,
        StepOutputSink sink,
        StepInvocation invocation,
        IReadOnlyDictionary<string, string>? extraEnvironment,
        CancellationToken cancellationToken)
    {
        var run = job.Run;
        var files = FileCommandSet.Create(Path.Combine(job.Temp, "_runner_file_commands"));
        try
        {
            if (job.Sandbox is { } sandbox)
            {
                foreach (var path in files.EnvironmentVariables.Values.Prepend(Path.Combine(job.Temp, "_runner_file_commands")))
                {
                    sandbox.GiveToRunner(path);
                }
            }

            var environment = BuildEnvironment(job, env, github, files.EnvironmentVariables, extraEnvironment);
            var commands = new StepCommandSink(job, sink, invocation);
            var processor = new WorkflowCommandProcessor(run.Masker, commands, new WorkflowCommandOptions { Workspace = job.Workspace });
            var spec = new ProcessSpec
            {
                FileName = fileName,
                Arguments = arguments,
                WorkingDirectory = workingDirectory,
                Environment = environment,
                Tracker = job.Tracker,
                Sandbox = job.Sandbox,
            };
            var result = await run.Processes.RunAsync(spec, processor.OnOutput, cancellationToken).ConfigureAwait(false);
            files.Process(commands, run.Masker);
            return result.Outcome switch
            {
                ProcessOutcome.FailedToStart => StepBodyResult.Failure(result.Error ?? $"{fileName} could not be started."),
                ProcessOutcome.Cancelled or ProcessOutcome.TimedOut => new StepBodyResult(Conclusion.Cancelled),
                _ when result.ExitCode != 0 => StepBodyResult.Failure($"Process completed with exit code {result.ExitCode}."),
                _ when commands.Failed => StepBodyResult.Failure("A workflow command of the step failed."),
                _ => StepBodyResult.Success,
            };
        }
        finally
        {
            files.Delete();
        }
    }

    /// <summary>The whole environment of a step's process (or of a built-in action's context).</summary>
    public static Dictionary<string, string> BuildEnvironment(
        JobState job,
        IReadOnlyDictionary<string, string> env,
        ObjectValue github,
        IReadOnlyDictionary<string, string>? fileCommands,
        IReadOnlyDictionary<string, string>? extraEnvironment)
    {
        var environment = new Dictionary<string, string>(job.Run.HostEnvironment, StringComparer.Ordinal);
        if (job.Home is not null)
        {
            environment["HOME"] = job.Home;
        }

        foreach (var pair in env)
        {
            environment[pair.Key] = pair.Value;
        }

        // GITHUB_* and RUNNER_* cannot be overridden by env (GitHub's rule); CI can.
        var ci = environment.GetValueOrDefault("CI");
        GithubContextBuilder.AddDefaultEnvironment(environment, github, job.Runner);
        if (env.ContainsKey("CI") && ci is not null)
        {
            environment["CI"] = ci;
        }

        foreach (var pair in (fileCommands ?? new Dictionary<string, string>()).Concat(extraEnvironment ?? new Dictionary<string, string>()))
        {
            environment[pair.Key] = pair.Value;
        }

        environment["PATH"] = SearchPath(job, env);
        return environment;
    }

    /// <summary>PATH for a step: the GITHUB_PATH additions (the latest first), then the env's or the host's PATH.</summary>
    public static string SearchPath(JobState job, IReadOnlyDictionary<string, string> env)
    {
        var basePath = env.GetValueOrDefault("PATH") ?? job.Run.HostEnvironment.GetValueOrDefault("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        lock (job.PathAdditions)
        {
            return job.PathAdditions.Count == 0 ? basePath : string.Join(':', Enumerable.Reverse(job.PathAdditions)) + ":" + basePath;
        }
    }
}
