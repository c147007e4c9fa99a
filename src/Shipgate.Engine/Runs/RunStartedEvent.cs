using Shipgate.Engine.Masking;

namespace Shipgate.Engine.Runs;

/// <summary>The run started: its display names and the jobs it will consider, in file order.</summary>
public sealed record RunStartedEvent : RunEvent
{
    public required string WorkflowName { get; init; }

    /// <summary><c>run-name</c> evaluated, or the workflow name.</summary>
    public required string RunName { get; init; }

    public required string EventName { get; init; }

    public required string Ref { get; init; }

    public required string Sha { get; init; }

    /// <summary>The directory of this run under the data directory (logs, event payload, workspaces).</summary>
    public required string RunDirectory { get; init; }

    public required IReadOnlyList<PlannedJob> Jobs { get; init; }

    internal override RunEvent Mask(SecretMasker masker) =>
        this with { RunName = masker.Mask(RunName), Jobs = [.. Jobs.Select(j => j with { Name = masker.Mask(j.Name) })] };
}

/// <summary>A job of the workflow as planned before it runs (matrix legs appear when the job starts).</summary>
public sealed record PlannedJob(string JobId, string Name, IReadOnlyList<string> Needs);
