namespace Shipgate.Delivery.Configuration;

/// <summary>
/// The rules that protect an environment for one run: those of shipgate.yml at the head of the project's protected
/// branch (trusted), tightened, never loosened, by shipgate.yml at the run's commit. Per rule, the stricter applies:
/// <list type="bullet">
/// <item><c>mode</c>: delivery when either says delivery (people approve rather than nobody);</item>
/// <item><c>approval.required</c>: the larger; <c>prevent-self-review</c>: on when either has it on;
/// <c>unknown-authors</c>: block when either blocks;</item>
/// <item><c>approval.reviewers</c>: the commit's list when it is a subset of the trusted list (adding a reviewer would
/// loosen) that can still meet the required count; otherwise the trusted list;</item>
/// <item><c>branches</c>: both apply, so a ref must match the trusted patterns and the commit's;</item>
/// <item><c>freeze</c>: the windows of both; <c>wait-timer</c>: the longer; <c>smoke</c>: the checks of both;</item>
/// <item>the rest (expiry, instructions, strategy, rollback, watch, rollback-window, hosts) is the trusted file's: it is not a rule a commit can
/// make stricter, so a change to it takes effect once it is on the protected branch.</item>
/// </list>
/// Without trusted rules for the environment, the commit's apply as written: there is nothing for them to loosen.
/// </summary>
public static class ProtectionRules
{
    /// <summary>The rules of <paramref name="trusted"/> tightened by <paramref name="commit"/>; either may be null (no rules there).</summary>
    public static ProtectionRulesResult Tighten(EnvironmentDefinition? trusted, EnvironmentDefinition? commit)
    {
        if (commit is null)
        {
            return new ProtectionRulesResult(trusted, []);
        }

        if (trusted is null)
        {
            return new ProtectionRulesResult(commit, ["every rule (the protected branch has none for this environment)"]);
        }

        var tightened = new List<string>();
        var mode = trusted.Mode;
        var approval = trusted.Mode == EnvironmentMode.Delivery ? trusted.Approval : null;
        if (commit.Mode == EnvironmentMode.Delivery && commit.Approval is { } commitApproval)
        {
            if (approval is null)
            {
                mode = EnvironmentMode.Delivery;
                approval = commitApproval;
                tightened.Add("mode");
            }
            else
            {
                approval = TightenApproval(approval, commitApproval, tightened);
            }
        }

        var waitTimer = trusted.WaitTimer;
        if (commit.WaitTimer is { } commitTimer && (waitTimer is null || commitTimer > waitTimer))
        {
            waitTimer = commitTimer;
            tightened.Add("wait-timer");
        }

        var narrowed = commit.Branches;
        if (narrowed is not null)
        {
            tightened.Add("branches");
        }

        if (commit.Freeze.Count > 0)
        {
            tightened.Add("freeze");
        }

        // The commit may add checks; one it shares with the protected branch (the same file, when the run is of the
        // branch's head) runs once.
        var added = commit.Smoke.Where(c => !trusted.Smoke.Any(t => t with { Location = null } == c with { Location = null })).ToList();
        IReadOnlyList<SmokeCheck> smoke = [.. trusted.Smoke, .. added];
        var effective = new EnvironmentDefinition
        {
            Name = trusted.Name,
            Location = trusted.Location,
            Mode = mode,
            Branches = trusted.Branches ?? narrowed,
            NarrowedBranches = trusted.Branches is null ? null : narrowed,
            Approval = mode == EnvironmentMode.Delivery ? approval : trusted.Approval,
            WaitTimer = waitTimer,
            Freeze = [.. trusted.Freeze, .. commit.Freeze],
            Strategy = trusted.Strategy,
            Rollback = trusted.Rollback,
            Smoke = smoke,
            Watch = trusted.Watch,
            RollbackWindow = trusted.RollbackWindow,
            Hosts = trusted.Hosts,
        };
        if (added.Count > 0)
        {
            tightened.Add("smoke");
        }

        return new ProtectionRulesResult(effective, tightened);
    }

    private static ApprovalDefinition TightenApproval(ApprovalDefinition trusted, ApprovalDefinition commit, List<string> tightened)
    {
        var required = Math.Max(trusted.Required, commit.Required);
        if (required > trusted.Required)
        {
            tightened.Add("approval.required");
        }

        var reviewers = trusted.Reviewers;
        var isSubset = commit.Reviewers.All(
            r => trusted.Reviewers.Any(t => string.Equals(t.ToString(), r.ToString(), StringComparison.OrdinalIgnoreCase)));
        var canMeetCount = commit.Reviewers.Any(r => r.IsTeam) || commit.Reviewers.Count >= required;
        if (isSubset && canMeetCount && commit.Reviewers.Count < trusted.Reviewers.Count)
        {
            reviewers = commit.Reviewers;
            tightened.Add("approval.reviewers");
        }

        if (commit.PreventSelfReview && !trusted.PreventSelfReview)
        {
            tightened.Add("approval.prevent-self-review");
        }

        var unknownAuthors = trusted.UnknownAuthors;
        if (commit.UnknownAuthors == UnknownAuthorsAction.Block && unknownAuthors != UnknownAuthorsAction.Block)
        {
            unknownAuthors = UnknownAuthorsAction.Block;
            tightened.Add("approval.unknown-authors");
        }

        return new ApprovalDefinition
        {
            Reviewers = reviewers,
            Required = required,
            PreventSelfReview = trusted.PreventSelfReview || commit.PreventSelfReview,
            UnknownAuthors = unknownAuthors,
            ExpiresAfter = trusted.ExpiresAfter,
            OnExpiry = trusted.OnExpiry,
            Instructions = trusted.Instructions,
        };
    }
}
