namespace Shipgate.Engine.Processes;

/// <summary>What to run: a program, its arguments, where, with exactly which environment, for how long.</summary>
public sealed record ProcessSpec
{
    /// <summary>
    /// The program: an absolute path, or a name looked up in the <c>PATH</c> of <see cref="Environment"/>
    /// (not of Shipgate's own environment).
    /// </summary>
    public required string FileName { get; init; }

    /// <summary>The arguments, passed as they are (no shell parsing).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The working directory; it must exist.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>
    /// The child's whole environment. Nothing of Shipgate's own environment is inherited: the caller builds it
    /// (the step's env, GITHUB_* variables, PATH...).
    /// </summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>Kills the tree and reports <see cref="ProcessOutcome.TimedOut"/> after this long; null for no limit (the default).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// Marks every process of the run so that <see cref="ProcessTracker.KillRemainingAsync"/> finds those left in the
    /// background at the end of the job (GitHub's RUNNER_TRACKING_ID). Null to leave the run untracked.
    /// </summary>
    public ProcessTracker? Tracker { get; init; }

    /// <summary>The job's sandbox the process runs in (entered with nsenter, as the runner user); null to run it on the host.</summary>
    internal Sandbox.JobSandbox? Sandbox { get; init; }
}
