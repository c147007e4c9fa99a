using Shipgate.Delivery.Configuration;

namespace Shipgate.Delivery.Approvals;

/// <summary>
/// An approval block made concrete for one run: teams expanded to their members, and the run's initiator and
/// commit author known for self-review. Resolved once, when the approval is opened, and stored with it, so the
/// record says who could approve; a later change to a team does not change an open approval.
/// User names compare without case, so that self-review cannot be dodged by spelling a name differently.
/// </summary>
public sealed class ApprovalPolicy
{
    /// <summary>Every user who may decide, once each, in the order the reviewer entries name them.</summary>
    public required IReadOnlyList<ApprovalReviewer> Reviewers { get; init; }

    /// <summary>How many distinct reviewers must approve. Default 1.</summary>
    public int Required { get; init; } = 1;

    /// <summary>When true, <see cref="Initiator"/> and <see cref="CommitAuthor"/> cannot approve.</summary>
    public bool PreventSelfReview { get; init; }

    /// <summary>The Shipgate user who started the run; null when unknown.</summary>
    public string? Initiator { get; init; }

    /// <summary>The Shipgate user who wrote the commit (mapped by email); null when unknown.</summary>
    public string? CommitAuthor { get; init; }

    /// <summary>Every user who wrote, committed or pushed a commit of the release (see <see cref="ReleaseContributor"/>); checked with <see cref="CommitAuthor"/>.</summary>
    public IReadOnlyList<ReleaseContributor> Contributors { get; init; } = [];

    /// <summary>A commit of the release by someone who maps to no user ("commit abc1234 by Eve &lt;eve@example.com&gt;"); null when there is none.</summary>
    public string? UnknownAuthor { get; init; }

    /// <summary>What <see cref="UnknownAuthor"/> does; with block, the approval can never pass.</summary>
    public UnknownAuthorsAction UnknownAuthors { get; init; } = UnknownAuthorsAction.Allow;

    /// <summary>How long after the request the approval expires; null never.</summary>
    public TimeSpan? ExpiresAfter { get; init; }

    public ApprovalExpiryAction OnExpiry { get; init; } = ApprovalExpiryAction.Reject;

    /// <summary>Text shown to reviewers; null when none.</summary>
    public string? Instructions { get; init; }

    /// <summary>The reviewer entries as written (<c>alice</c>, <c>team:release-managers</c>), for messages.</summary>
    public IReadOnlyList<string> ReviewerEntries { get; init; } = [];

    /// <summary>Teams the directory did not know when the policy was resolved.</summary>
    public IReadOnlyList<string> UnknownTeams { get; init; } = [];

    /// <summary>The reviewers who may approve: all of them, less the initiator and the author under prevent-self-review.</summary>
    public IReadOnlyList<string> EligibleApprovers =>
        Reviewers.Select(r => r.User).Where(user => SelfReviewReason(user) is null).ToList();

    /// <summary>False when fewer reviewers may approve than are required: the approval can never pass.</summary>
    public bool CanBeSatisfied => UnsatisfiableReason() is null;

    /// <summary>Expands <paramref name="definition"/>'s teams for a run whose release has <paramref name="contributors"/> and, maybe, an unknown author.</summary>
    public static async ValueTask<ApprovalPolicy> ResolveAsync(
        ApprovalDefinition definition,
        string? initiator,
        string? commitAuthor,
        IReadOnlyList<ReleaseContributor> contributors,
        string? unknownAuthor,
        ITeamDirectory teams,
        CancellationToken cancellationToken = default)
    {
        var reviewers = new List<(string User, List<string> Via)>();
        var unknownTeams = new List<string>();
        foreach (var entry in definition.Reviewers)
        {
            IReadOnlyList<string> users = [entry.Name];
            if (entry.IsTeam)
            {
                var members = await teams.GetMembersAsync(entry.Name, cancellationToken).ConfigureAwait(false);
                if (members is null)
                {
                    unknownTeams.Add(entry.Name);
                }

                users = members ?? [];
            }

            foreach (var user in users)
            {
                var index = reviewers.FindIndex(r => SameUser(r.User, user));
                if (index < 0)
                {
                    reviewers.Add((user, [entry.ToString()]));
                }
                else if (!reviewers[index].Via.Contains(entry.ToString()))
                {
                    reviewers[index].Via.Add(entry.ToString());
                }
            }
        }

        return new ApprovalPolicy
        {
            Reviewers = reviewers.Select(r => new ApprovalReviewer(r.User, r.Via)).ToList(),
            Required = definition.Required,
            PreventSelfReview = definition.PreventSelfReview,
            Initiator = initiator,
            CommitAuthor = commitAuthor,
            Contributors = contributors,
            UnknownAuthor = unknownAuthor,
            UnknownAuthors = definition.UnknownAuthors,
            ExpiresAfter = definition.ExpiresAfter,
            OnExpiry = definition.OnExpiry,
            Instructions = definition.Instructions,
            ReviewerEntries = definition.Reviewers.Select(r => r.ToString()).ToList(),
            UnknownTeams = unknownTeams,
        };
    }

    /// <summary>True when <paramref name="user"/> may decide (approve or reject) this approval.</summary>
    public bool IsReviewer(string user) => Reviewers.Any(r => SameUser(r.User, user));

    /// <summary>Why <paramref name="user"/> may not approve under prevent-self-review, or null when they may.</summary>
    public string? SelfReviewReason(string user)
    {
        if (!PreventSelfReview)
        {
            return null;
        }

        var started = Initiator is not null && SameUser(Initiator, user);
        var wrote = CommitAuthor is not null && SameUser(CommitAuthor, user);
        var took = Contributors.FirstOrDefault(c => SameUser(c.User, user));
        return (started, wrote) switch
        {
            (true, true) => $"{user} started this run and wrote its commit, and this environment forbids self-review",
            (true, false) => $"{user} started this run, and this environment forbids self-review",
            (false, true) => $"{user} wrote this run's commit, and this environment forbids self-review",
            _ when took is not null => $"{user} {took.Part} commit {took.ShortSha} of this release, and this environment forbids self-review",
            _ => null,
        };
    }

    /// <summary>Why the approval can never pass, or null when it can.</summary>
    public string? UnsatisfiableReason()
    {
        if (UnknownAuthors == UnknownAuthorsAction.Block && UnknownAuthor is not null)
        {
            return $"{UnknownAuthor} is an unknown author, so self-review cannot be checked "
                + "and this environment blocks unknown authors (unknown-authors: block); add the email to its user with 'shipgate user email add'";
        }

        var eligible = EligibleApprovers.Count;
        if (eligible >= Required)
        {
            return null;
        }

        var reason = $"the approval needs {Required} approval{(Required == 1 ? "" : "s")} but only {eligible} reviewer{(eligible == 1 ? "" : "s")} may approve";
        var excluded = Reviewers.Count - eligible;
        if (excluded > 0)
        {
            reason += $" ({excluded} excluded by prevent-self-review)";
        }

        if (UnknownTeams.Count > 0)
        {
            reason += $"; unknown team{(UnknownTeams.Count == 1 ? "" : "s")}: {string.Join(", ", UnknownTeams)}";
        }

        return reason;
    }

    /// <summary>The reviewer entries for messages: "alice or team:release-managers".</summary>
    internal string DescribeReviewers() => ReviewerEntries.Count > 0
        ? string.Join(" or ", ReviewerEntries)
        : string.Join(" or ", Reviewers.Select(r => r.User));

    internal static bool SameUser(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
