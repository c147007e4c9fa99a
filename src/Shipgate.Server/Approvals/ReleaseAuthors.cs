using System.Collections.Concurrent;
using Shipgate.Delivery.Approvals;
using Shipgate.Server.Auth;
using Shipgate.Server.Git;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Runs;

namespace Shipgate.Server.Approvals;

/// <summary>
/// Who took part in a release, for self-review: the author and the committer of every commit between the
/// environment's current release and the run's commit (<c>git log OLD..NEW</c>; every reachable commit, at most
/// <see cref="MaxCommits"/>, when the environment has no release yet), each mapped to a Shipgate user by one of the
/// user's emails, or by a GitHub no-reply address to the user's <c>github:</c> login. The first commit whose author
/// or committer maps to no user is named as the unknown author.
/// </summary>
internal sealed class ReleaseAuthors(ServerStore store, UserIdentities identities)
{
    /// <summary>The most commits of one release looked at; a longer history is checked from its newest commit back.</summary>
    public const int MaxCommits = 1000;

    private const int MaxCachedRanges = 512;

    // A range of commits never changes, and a waiting gate asks again every few seconds: git is asked once per range.
    // Who the people are is looked up each time, so an email added while an approval waits counts.
    private readonly ConcurrentDictionary<(string Repository, string? From, string To), IReadOnlyList<CommitPeople>> _ranges = new();

    /// <summary>
    /// The release's contributors and its first unknown author (null when there is none) for the run's deployment to
    /// <paramref name="environment"/> (null: a manual-approval step outside an environment, checked against every reachable commit).
    /// </summary>
    public async Task<(IReadOnlyList<ReleaseContributor> Contributors, string? UnknownAuthor)> ResolveAsync(
        GitRepository repository,
        RunRecord run,
        string? environment,
        CancellationToken cancellationToken = default)
    {
        string? from = null;
        if (environment is not null)
        {
            var current = await store.Store.Deployments.ListCurrentReleasesAsync(run.ProjectId, cancellationToken).ConfigureAwait(false);
            from = current.FirstOrDefault(r => string.Equals(r.Environment, environment, StringComparison.OrdinalIgnoreCase))?.Release.CommitSha;
        }

        var range = (repository.Directory, from, run.Sha);
        if (!_ranges.TryGetValue(range, out var commits))
        {
            // Not kept when git could not tell (a commit not fetched yet): the next look asks again.
            commits = await repository.CommitPeopleAsync(from, run.Sha, MaxCommits, cancellationToken).ConfigureAwait(false) ?? [];
            if (commits.Count > 0)
            {
                if (_ranges.Count >= MaxCachedRanges)
                {
                    _ranges.Clear();
                }

                _ranges[range] = commits;
            }
        }

        var users = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var contributors = new List<ReleaseContributor>();
        string? unknown = null;
        foreach (var commit in commits)
        {
            var people = new[] { ("wrote", commit.AuthorName, commit.AuthorEmail), ("committed", commit.CommitterName, commit.CommitterEmail) };
            foreach (var (part, name, email) in people)
            {
                // GitHub itself commits merges and web edits (web-flow): it is not a person who could approve.
                if (part == "committed" && string.Equals(email, "noreply@github.com", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (!users.TryGetValue(email, out var user))
                {
                    users[email] = user = await identities.UserOfEmailAsync(email, cancellationToken).ConfigureAwait(false);
                }

                if (user is not null)
                {
                    contributors.Add(new ReleaseContributor(user, part, commit.Sha));
                }
                else
                {
                    unknown ??= $"commit {commit.Sha[..Math.Min(7, commit.Sha.Length)]} by {name} <{email}>";
                }
            }
        }

        return (contributors, unknown);
    }
}
