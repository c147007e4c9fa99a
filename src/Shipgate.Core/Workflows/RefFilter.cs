namespace Shipgate.Core.Workflows;

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
