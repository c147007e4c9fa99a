using Shipgate.Core.Triggers;

namespace Shipgate.Delivery.Gates;

/// <summary>
/// <c>branches:</c>: the run's ref must match the environment's patterns (GitHub's filter patterns, with
/// <c>*</c> not crossing '/', evaluated in order, the last match deciding, so a later <c>!</c> pattern excludes).
/// A pattern starting with <c>refs/</c> matches the whole ref (<c>refs/tags/v*</c>); any other matches the branch
/// name of a <c>refs/heads/</c> ref only, so a tag or a pull request ref never passes as a branch of the same name.
/// </summary>
internal sealed class BranchGate(IReadOnlyList<FilterPattern> patterns) : IEnvironmentGate
{
    private const string HeadsPrefix = "refs/heads/";

    public GateResult Evaluate(EnvironmentGateContext context)
    {
        var gitRef = context.Request.Ref;
        var matched = Match(gitRef);
        var shown = gitRef.StartsWith(HeadsPrefix, StringComparison.Ordinal) ? gitRef[HeadsPrefix.Length..] : gitRef;
        return matched is { IsNegation: false }
            ? GateResult.Pass(GateNames.Branch, $"'{shown}' may deploy to {context.EnvironmentName} (matches '{matched.Text}')")
            : GateResult.Fail(GateNames.Branch, $"'{shown}' may not deploy to {context.EnvironmentName}, which allows {string.Join(", ", patterns.Select(p => p.Text))}");
    }

    /// <summary>The last pattern that matches <paramref name="gitRef"/>, or null.</summary>
    internal FilterPattern? Match(string gitRef)
    {
        if (!gitRef.StartsWith("refs/", StringComparison.Ordinal))
        {
            gitRef = HeadsPrefix + gitRef;
        }

        var branch = gitRef.StartsWith(HeadsPrefix, StringComparison.Ordinal) ? gitRef[HeadsPrefix.Length..] : null;
        FilterPattern? last = null;
        foreach (var pattern in patterns)
        {
            var body = pattern.IsNegation ? pattern.Text[1..] : pattern.Text;
            var subject = body.StartsWith("refs/", StringComparison.Ordinal) ? gitRef : branch;
            if (subject is not null && pattern.IsMatch(subject))
            {
                last = pattern;
            }
        }

        return last;
    }
}
