namespace Shipgate.Core.Triggers;

/// <summary>An event that may start a workflow: what <see cref="TriggerMatcher"/> compares with <c>on:</c>.</summary>
public sealed class TriggerEvent
{
    /// <summary>The event name: push, pull_request, workflow_dispatch, schedule, or another GitHub event name.</summary>
    public required string Name { get; init; }

    /// <summary>The full ref of a push: <c>refs/heads/main</c> or <c>refs/tags/v1.0</c> (a bare name counts as a branch).</summary>
    public string? Ref { get; init; }

    /// <summary>The branch a pull request targets (<c>main</c> or <c>refs/heads/main</c>); its branch filters apply to it.</summary>
    public string? BaseRef { get; init; }

    /// <summary>Paths changed by the push or pull request, relative to the repository root with '/'; null when unknown.</summary>
    public IReadOnlyList<string>? ChangedPaths { get; init; }

    /// <summary>The activity type of a pull request (opened, synchronize...); null matches any.</summary>
    public string? Action { get; init; }
}
