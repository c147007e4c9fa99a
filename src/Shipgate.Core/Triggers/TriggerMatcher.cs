using System.Runtime.CompilerServices;
using Shipgate.Core.Workflows;

namespace Shipgate.Core.Triggers;

/// <summary>
/// Decides whether a workflow's <c>on:</c> runs for an event, as GitHub does: branch or tag filters
/// (a ref that is neither filtered kind does not run when only the other kind is filtered), then path
/// filters (not for tags). Patterns are evaluated in order, and the last one that matches decides,
/// so <c>!</c> patterns exclude what earlier patterns included.
/// </summary>
public static class TriggerMatcher
{
    private const string BranchPrefix = "refs/heads/";
    private const string TagPrefix = "refs/tags/";

    /// <summary>GitHub's default activity types of pull_request and pull_request_target.</summary>
    private static readonly string[] DefaultPullRequestTypes = ["opened", "synchronize", "reopened"];

    private static readonly ConditionalWeakTable<IReadOnlyList<string>, FilterPattern[]> Compiled = [];

    public static TriggerMatch Match(WorkflowTriggers on, TriggerEvent trigger)
    {
        ArgumentNullException.ThrowIfNull(on);
        ArgumentNullException.ThrowIfNull(trigger);
        return trigger.Name switch
        {
            "push" => on.Push is null ? NoTrigger(trigger.Name) : MatchPush(on.Push, trigger),
            "pull_request" => on.PullRequest is null ? NoTrigger(trigger.Name) : MatchPullRequest(on.PullRequest, trigger),
            "pull_request_target" => on.PullRequestTarget is null ? NoTrigger(trigger.Name) : MatchPullRequest(on.PullRequestTarget, trigger),
            "workflow_dispatch" => on.WorkflowDispatch is null ? NoTrigger(trigger.Name) : Yes("the workflow has a 'workflow_dispatch' trigger"),
            "schedule" => on.Schedules.Count == 0 ? NoTrigger(trigger.Name) : Yes("the workflow has a 'schedule' trigger"),
            "workflow_call" => on.WorkflowCall is null ? NoTrigger(trigger.Name) : Yes("the workflow has a 'workflow_call' trigger"),
            _ => on.OtherEvents.Contains(trigger.Name, StringComparer.Ordinal) ? Yes($"the workflow has a '{trigger.Name}' trigger") : NoTrigger(trigger.Name),
        };
    }

    private static TriggerMatch MatchPush(RefFilter filter, TriggerEvent trigger)
    {
        if (trigger.Ref is null)
        {
            return MatchPaths(filter, trigger, "push (no ref given, so branch and tag filters were not applied)");
        }

        if (trigger.Ref.StartsWith(TagPrefix, StringComparison.Ordinal))
        {
            var tag = trigger.Ref[TagPrefix.Length..];
            if (filter.Tags is not null)
            {
                return IsIncluded(filter.Tags, tag, trigger.Ref)
                    ? Yes($"tag '{tag}' matches 'tags'")
                    : No($"tag '{tag}' does not match 'tags' ({Join(filter.Tags)})");
            }

            if (filter.TagsIgnore is not null)
            {
                return IsIncluded(filter.TagsIgnore, tag, trigger.Ref)
                    ? No($"tag '{tag}' matches 'tags-ignore' ({Join(filter.TagsIgnore)})")
                    : Yes($"tag '{tag}' does not match 'tags-ignore'");
            }

            if (filter.Branches is not null || filter.BranchesIgnore is not null)
            {
                return No("the push trigger filters branches only, so pushing a tag does not run it");
            }

            // Path filters are not evaluated for tag pushes.
            return Yes($"push of tag '{tag}'");
        }

        var branch = trigger.Ref.StartsWith(BranchPrefix, StringComparison.Ordinal) ? trigger.Ref[BranchPrefix.Length..] : trigger.Ref;
        var fullRef = BranchPrefix + branch;
        var refMatch = MatchBranch(filter, branch, fullRef);
        if (refMatch is not null)
        {
            return refMatch;
        }

        if (filter.Branches is null && filter.BranchesIgnore is null && (filter.Tags is not null || filter.TagsIgnore is not null))
        {
            return No("the push trigger filters tags only, so pushing a branch does not run it");
        }

        return MatchPaths(filter, trigger, $"push to branch '{branch}'");
    }

    private static TriggerMatch MatchPullRequest(RefFilter filter, TriggerEvent trigger)
    {
        var types = filter.Types ?? DefaultPullRequestTypes;
        if (trigger.Action is not null && !types.Contains(trigger.Action, StringComparer.Ordinal))
        {
            return No($"activity type '{trigger.Action}' is not in 'types' ({string.Join(", ", types)})");
        }

        if (trigger.BaseRef is null)
        {
            return MatchPaths(filter, trigger, $"{trigger.Name} (no base branch given, so branch filters were not applied)");
        }

        var branch = trigger.BaseRef.StartsWith(BranchPrefix, StringComparison.Ordinal) ? trigger.BaseRef[BranchPrefix.Length..] : trigger.BaseRef;
        return MatchBranch(filter, branch, BranchPrefix + branch)
            ?? MatchPaths(filter, trigger, $"{trigger.Name} into branch '{branch}'");
    }

    /// <summary>Null when the branch passes the branch filters (or there are none); otherwise the refusal.</summary>
    private static TriggerMatch? MatchBranch(RefFilter filter, string branch, string fullRef)
    {
        if (filter.Branches is not null && !IsIncluded(filter.Branches, branch, fullRef))
        {
            return No($"branch '{branch}' does not match 'branches' ({Join(filter.Branches)})");
        }

        if (filter.BranchesIgnore is not null && IsIncluded(filter.BranchesIgnore, branch, fullRef))
        {
            return No($"branch '{branch}' matches 'branches-ignore' ({Join(filter.BranchesIgnore)})");
        }

        return null;
    }

    private static TriggerMatch MatchPaths(RefFilter filter, TriggerEvent trigger, string what)
    {
        if (filter.Paths is null && filter.PathsIgnore is null)
        {
            return Yes(what);
        }

        if (trigger.ChangedPaths is null)
        {
            return Yes($"{what}; the changed paths are unknown, so path filters were not applied");
        }

        if (filter.Paths is not null)
        {
            var match = trigger.ChangedPaths.FirstOrDefault(path => IsIncluded(filter.Paths, path, path));
            if (match is null)
            {
                return No($"no changed path matches 'paths' ({Join(filter.Paths)})");
            }

            if (filter.PathsIgnore is null)
            {
                return Yes($"{what}; '{match}' matches 'paths'");
            }
        }

        var kept = trigger.ChangedPaths.FirstOrDefault(path => !IsIncluded(filter.PathsIgnore!, path, path));
        return kept is null
            ? No($"every changed path matches 'paths-ignore' ({Join(filter.PathsIgnore!)})")
            : Yes($"{what}; '{kept}' does not match 'paths-ignore'");
    }

    /// <summary>
    /// True when the last pattern that matches is not a negation. Branch and tag patterns that start
    /// with <c>refs/</c> are compared with the full ref, the others with the short name.
    /// </summary>
    internal static bool IsIncluded(IReadOnlyList<string> patterns, string name, string fullRef)
    {
        var included = false;
        foreach (var pattern in Compiled.GetValue(patterns, Compile))
        {
            var positive = pattern.IsNegation ? pattern.Text.AsSpan(1) : pattern.Text.AsSpan();
            var value = positive.StartsWith("refs/", StringComparison.Ordinal) ? fullRef : name;
            if (pattern.IsMatch(value))
            {
                included = !pattern.IsNegation;
            }
        }

        return included;
    }

    private static FilterPattern[] Compile(IReadOnlyList<string> patterns)
    {
        var compiled = new List<FilterPattern>(patterns.Count);
        foreach (var text in patterns)
        {
            // Invalid patterns were reported when the workflow was parsed; here they match nothing.
            if (FilterPattern.TryCreate(text, out var pattern, out _, out _))
            {
                compiled.Add(pattern!);
            }
        }

        return [.. compiled];
    }

    private static string Join(IReadOnlyList<string> patterns) => string.Join(", ", patterns);

    private static TriggerMatch NoTrigger(string name) => No($"the workflow has no '{name}' trigger");

    private static TriggerMatch Yes(string reason) => new(true, reason);

    private static TriggerMatch No(string reason) => new(false, reason);
}
