using Shipgate.Core.Expressions;
using Shipgate.Engine.Actions;
using Shipgate.Engine.Masking;
using Shipgate.Engine.Processes;
using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Steps;

/// <summary>What a built-in action sees of its step, job and run (the engine's <see cref="IActionContext"/>).</summary>
internal sealed class ActionContext(JobState job, IReadOnlyDictionary<string, string> inputs, IReadOnlyDictionary<string, string> environment, StepInvocation invocation) : IActionContext
{
    /// <summary>The sink of the step now running: the main step's, then the post step's.</summary>
    public required StepOutputSink Sink { get; set; }

    public IReadOnlyDictionary<string, string> Inputs => inputs;

    public IReadOnlyDictionary<string, string> Environment => environment;

    public string Workspace => job.Workspace;

    public string RunnerTemp => job.Temp;

    public string ToolCache => job.Run.ToolCache;

    public string DataDirectory => job.Run.DataDirectory;

    public IReadOnlyList<string>? SandboxDirectories => job.Sandbox is null ? null : [job.Workspace, job.Temp, job.Home!];

    public string RepositoryDirectory => job.Run.Request.RepositoryDirectory;

    public string Sha => job.Run.Git.Sha;

    public string Ref => job.Run.Git.Ref;

    public string RunId => job.Run.RunId;

    public string Actor => job.Run.Request.Actor;

    public string? EnvironmentName => job.EnvironmentName;

    public IReadOnlyDictionary<string, string> Variables => Strings(job.Variables);

    public IReadOnlyDictionary<string, string> Secrets => Strings(job.Scope.Secrets);

    public string GetInput(string name, string defaultValue = "") =>
        inputs.TryGetValue(name, out var value) && value.Length > 0 ? value : defaultValue;

    public void SetOutput(string name, string value) => invocation.Outputs[name] = value;

    public void ExportVariable(string name, string value) => job.ExportVariable(name, value);

    public void AddPath(string directory) => job.AddPath(directory);

    public void AddMask(string value) => job.Run.Masker.AddSecret(value);

    public void SaveState(string name, string value) => invocation.State[name] = value;

    public string GetState(string name) => invocation.State.GetValueOrDefault(name) ?? "";

    public void Log(string line) => Sink.WriteLine(line);

    public void Warning(string message) => Sink.Annotate(AnnotationLevel.Warning, message);

    public void Error(string message) => Sink.Annotate(AnnotationLevel.Error, message);

    public async Task<ProcessResult> RunScriptAsync(
        string script,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string> variables,
        Action<string> onMaskedLine,
        CancellationToken cancellationToken = default)
    {
        if (!ShellResolver.TryResolve(null, environment.GetValueOrDefault("PATH"), out var shell, out var error))
        {
            return new ProcessResult(ProcessOutcome.FailedToStart, null, 0, Error: error);
        }

        var processEnvironment = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            processEnvironment[name] = value;
        }

        var prepared = shell.WriteScript(job.Temp, script);
        try
        {
            job.Sandbox?.GiveToRunner(prepared.ScriptPath);
            var spec = new ProcessSpec
            {
                FileName = prepared.FileName,
                Arguments = prepared.Arguments,
                WorkingDirectory = job.Workspace,
                Environment = processEnvironment,
                Timeout = timeout,
                Tracker = job.Tracker,
                Sandbox = job.Sandbox,
            };
            MaskContinuation[] continuations = [new(), new()];
            return await job.Run.Processes.RunAsync(
                spec,
                line =>
                {
                    var masked = job.Run.Masker.Mask(line.Text, continuations[(int)line.Stream], line.IsPartial);
                    Sink.WriteMaskedLine(masked);
                    onMaskedLine(masked);
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            prepared.Release();
        }
    }

    private static Dictionary<string, string> Strings(ObjectValue values) =>
        values.Pairs.Where(p => p.Value is StringValue).ToDictionary(p => p.Key, p => ((StringValue)p.Value).Value, StringComparer.Ordinal);

    public T? GetService<T>()
        where T : class
    {
        var request = job.Run.Request;
        if (typeof(T) == typeof(IApprovalGate))
        {
            return request.ApprovalGate as T;
        }

        if (typeof(T) == typeof(TimeProvider))
        {
            return request.TimeProvider as T;
        }

        if (typeof(T) == typeof(IRunArtifactRecorder))
        {
            return job.Run.Artifacts as T;
        }

        return request.Services?.GetService(typeof(T)) as T;
    }
}
