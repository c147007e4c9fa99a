namespace Shipgate.Core.Workflows;

/// <summary>The <c>on:</c> section.</summary>
public sealed class WorkflowTriggers
{
    public RefFilter? Push { get; init; }

    public RefFilter? PullRequest { get; init; }

    public DispatchTrigger? WorkflowDispatch { get; init; }

    /// <summary>Cron expressions of <c>schedule</c>, five fields, UTC.</summary>
    public IReadOnlyList<ScalarToken> Schedules { get; init; } = [];

    public CallTrigger? WorkflowCall { get; init; }

    /// <summary>Other event names (accepted; they never fire on the host).</summary>
    public IReadOnlyList<string> OtherEvents { get; init; } = [];
}

/// <summary>Filters of push and pull_request. Null lists mean "not given".</summary>
public sealed class RefFilter
{
    public IReadOnlyList<string>? Branches { get; init; }

    public IReadOnlyList<string>? BranchesIgnore { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    public IReadOnlyList<string>? TagsIgnore { get; init; }

    public IReadOnlyList<string>? Paths { get; init; }

    public IReadOnlyList<string>? PathsIgnore { get; init; }

    /// <summary>pull_request activity types.</summary>
    public IReadOnlyList<string>? Types { get; init; }
}

public sealed class DispatchTrigger
{
    public IReadOnlyList<InputDefinition> Inputs { get; init; } = [];
}

public sealed class CallTrigger
{
    public IReadOnlyList<InputDefinition> Inputs { get; init; } = [];

    /// <summary>Workflow outputs: name to value expression (usually <c>${{ jobs.x.outputs.y }}</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, ScalarToken>> Outputs { get; init; } = [];

    /// <summary>Declared secrets: name to whether it is required.</summary>
    public IReadOnlyList<KeyValuePair<string, bool>> Secrets { get; init; } = [];
}

/// <summary>An input of workflow_dispatch or workflow_call.</summary>
public sealed class InputDefinition
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    public bool Required { get; init; }

    /// <summary>string, boolean, number, choice or environment (dispatch); string, boolean or number (call).</summary>
    public string Type { get; init; } = "string";

    public ScalarToken? Default { get; init; }

    /// <summary>The options of a choice input.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];
}
