using Shipgate.Core.Expressions;
using Shipgate.Engine.Contexts;
using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Steps;

/// <summary>
/// Starts a step's process with the environment GitHub's runner gives it (the host's, the default
/// GITHUB_* and RUNNER_* variables, the env context, fresh file-command files, PATH with GITHUB_PATH
/// additions), feeds its lines through the workflow commands, and applies its file commands.
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
        var files = StepFiles.Create(job.Temp);
        try
        {
            var environment = BuildEnvironment(job, env, github, files, extraEnvironment);
            var processor = new StepCommandProcessor(job.Run, sink, invocation);
            var start = new StepProcessStart(fileName, arguments, workingDirectory, environment);
            var result = await job.Run.Processes.RunAsync(start, processor.ProcessLine, cancellationToken).ConfigureAwait(false);
            ApplyFileCommands(job, files, invocation);
            if (result.Killed)
            {
                return new StepBodyResult(Conclusion.Cancelled);
            }

            return result.ExitCode == 0 ? StepBodyResult.Success : StepBodyResult.Failure($"Process completed with exit code {result.ExitCode}.");
        }
        finally
        {
            files.Delete();
        }
    }

    /// <summary>The whole environment of a step's process.</summary>
    public static Dictionary<string, string> BuildEnvironment(
        JobState job,
        IReadOnlyDictionary<string, string> env,
        ObjectValue github,
        StepFiles? files,
        IReadOnlyDictionary<string, string>? extraEnvironment)
    {
        var environment = new Dictionary<string, string>(job.Run.HostEnvironment, StringComparer.Ordinal);
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

        files?.AddTo(environment);
        if (extraEnvironment is not null)
        {
            foreach (var pair in extraEnvironment)
            {
                environment[pair.Key] = pair.Value;
            }
        }

        environment["PATH"] = SearchPath(job, env);
        return environment;
    }

    /// <summary>PATH for a step: the GITHUB_PATH additions (the latest first), then the env's or the host's PATH.</summary>
    public static string SearchPath(JobState job, IReadOnlyDictionary<string, string> env)
    {
        var basePath = env.GetValueOrDefault("PATH") ?? job.Run.HostEnvironment.GetValueOrDefault("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        if (job.PathAdditions.Count == 0)
        {
            return basePath;
        }

        return string.Join(':', Enumerable.Reverse(job.PathAdditions)) + ":" + basePath;
    }

    private static void ApplyFileCommands(JobState job, StepFiles files, StepInvocation invocation)
    {
        foreach (var pair in FileCommandsStandIn.Read(files.Env))
        {
            job.ExportedEnv[pair.Key] = pair.Value;
        }

        foreach (var pair in FileCommandsStandIn.Read(files.Output))
        {
            invocation.Outputs[pair.Key] = pair.Value;
        }

        foreach (var pair in FileCommandsStandIn.Read(files.State))
        {
            invocation.State[pair.Key] = pair.Value;
        }

        if (File.Exists(files.AddPath))
        {
            foreach (var line in File.ReadLines(files.AddPath))
            {
                if (line.Trim().Length > 0)
                {
                    job.PathAdditions.Add(line.Trim());
                }
            }
        }

        if (new FileInfo(files.StepSummary) is { Exists: true, Length: > 0 })
        {
            var summary = job.Run.Masker.Mask(File.ReadAllText(files.StepSummary));
            File.AppendAllText(Path.Combine(Path.GetDirectoryName(job.LogDirectory)!, "summary.md"), summary + "\n");
        }
    }
}
