namespace Shipgate.Engine.Runs;

/// <summary>How the host runs jobs.</summary>
public sealed class RunEngineOptions
{
    /// <summary>Jobs that run steps at the same time on this host. Default: the number of cores.</summary>
    public int MaxParallelJobs { get; init; } = Environment.ProcessorCount;

    /// <summary>RUNNER_NAME, and one of the labels. Default: the host name.</summary>
    public string RunnerName { get; init; } = Environment.MachineName;

    /// <summary>
    /// The labels <c>runs-on</c> is matched against, ignoring case. Default: ubuntu-latest, ubuntu-22.04,
    /// ubuntu-24.04, self-hosted, linux, x64 (and the runner name).
    /// </summary>
    public IReadOnlyList<string> RunnerLabels { get; init; } = ["ubuntu-latest", "ubuntu-22.04", "ubuntu-24.04", "self-hosted", "linux", "x64"];

    /// <summary>The <c>node</c> executable for JavaScript actions. Default: <c>node</c> found on PATH.</summary>
    public string? NodePath { get; init; }

    /// <summary>
    /// The most output a step's log keeps, in bytes of text (default 100 MB). Past it, further lines are dropped
    /// (from the log and the live events) and one warning at the step's end says how much; the step goes on.
    /// </summary>
    public long MaxStepLogBytes { get; init; } = 100L * 1000 * 1000;

    /// <summary>
    /// Concurrency groups shared with other runs of this process (the server shares one instance);
    /// null gives each run its own.
    /// </summary>
    public ConcurrencyGroups? ConcurrencyGroups { get; init; }

    /// <summary>
    /// Runs every process of a job in a sandbox (the data directory hidden but for the job's own directories, a
    /// clean environment, a PID namespace per job, the runner user when root). Default null: steps run on the host
    /// as this process's user with its environment, as on a self-hosted runner (<c>shipgate run</c>).
    /// </summary>
    public Sandbox.StepSandbox? Sandbox { get; init; }
}
