using Shipgate.Engine.Processes;

namespace Shipgate.Engine.Actions;

/// <summary>What a built-in action sees and may change, mirroring what a JavaScript action gets from @actions/core.</summary>
public interface IActionContext
{
    /// <summary>The evaluated <c>with:</c> inputs, keys ignoring case, with the action's defaults applied.</summary>
    IReadOnlyDictionary<string, string> Inputs { get; }

    /// <summary>The input's value, or <paramref name="defaultValue"/> when absent or empty.</summary>
    string GetInput(string name, string defaultValue = "");

    /// <summary>The environment the step would get (workflow, job and step env, GITHUB_* variables).</summary>
    IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>GITHUB_WORKSPACE.</summary>
    string Workspace { get; }

    /// <summary>RUNNER_TEMP.</summary>
    string RunnerTemp { get; }

    /// <summary>RUNNER_TOOL_CACHE.</summary>
    string ToolCache { get; }

    /// <summary>The data directory (artifacts, caches, logs).</summary>
    string DataDirectory { get; }

    /// <summary>
    /// The job's own directories (workspace, RUNNER_TEMP, HOME) when its steps run in a sandbox as an unprivileged user;
    /// null when they run as the server's user. Built-in actions run with the server's rights, so for a sandboxed job
    /// they read and write files on a step's behalf only there, never what the step itself could not reach.
    /// </summary>
    IReadOnlyList<string>? SandboxDirectories { get; }

    /// <summary>The repository the run is for, and its commit.</summary>
    string RepositoryDirectory { get; }

    string Sha { get; }

    string Ref { get; }

    string RunId { get; }

    /// <summary>The person the run is for (GITHUB_ACTOR).</summary>
    string Actor { get; }

    /// <summary>The job's <c>environment:</c> name, evaluated; null when the job names none (shipgate/deploy needs one).</summary>
    string? EnvironmentName => null;

    /// <summary>The job's <c>vars</c> context: the run's variables and, in an environment, the environment's over them.</summary>
    IReadOnlyDictionary<string, string> Variables => new Dictionary<string, string>();

    /// <summary>The job's <c>secrets</c> context (masked in every log), the environment's over the run's.</summary>
    IReadOnlyDictionary<string, string> Secrets => new Dictionary<string, string>();

    void SetOutput(string name, string value);

    void ExportVariable(string name, string value);

    void AddPath(string directory);

    void AddMask(string value);

    void SaveState(string name, string value);

    /// <summary>State saved by the main step, for the post step.</summary>
    string GetState(string name);

    /// <summary>Writes a line to the step's log (masked).</summary>
    void Log(string line);

    void Warning(string message);

    void Error(string message);

    /// <summary>
    /// Runs <paramref name="script"/> as a <c>run:</c> step of this job with the default shell would run (bash with
    /// <c>-e</c>; in the job's sandbox as its user when it has one, in the workspace, with the step's environment and
    /// <paramref name="variables"/> over it), and kills its whole tree after <paramref name="timeout"/>. Each line of
    /// its output goes to the step's log and to <paramref name="onMaskedLine"/>, masked; workflow commands in it are
    /// not carried out. For commands an action runs on behalf of the commit (never with the server's rights). A host
    /// without the job's processes reports that it could not start.
    /// </summary>
    Task<ProcessResult> RunScriptAsync(
        string script,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string> variables,
        Action<string> onMaskedLine,
        CancellationToken cancellationToken = default) =>
        Task.FromResult(new ProcessResult(ProcessOutcome.FailedToStart, null, 0, Error: "This host runs no scripts for actions."));

    /// <summary>Services of the host: the approval gate, stores. Null when the host has none of that kind.</summary>
    T? GetService<T>()
        where T : class;
}
