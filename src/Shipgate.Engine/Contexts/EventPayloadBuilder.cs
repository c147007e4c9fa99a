using Shipgate.Core.Expressions;

namespace Shipgate.Engine.Contexts;

/// <summary>
/// The event payload (<c>github.event</c> and the file at GITHUB_EVENT_PATH), shaped like GitHub's
/// webhook payloads as far as a local repository can fill them: push (ref, before, after, commits,
/// head_commit, repository, pusher), workflow_dispatch (inputs), pull_request (a minimal pull_request),
/// schedule.
/// </summary>
internal static class EventPayloadBuilder
{
    public static ObjectValue Build(string eventName, GitRepositoryInfo git, string actor, IReadOnlyDictionary<string, string> inputs, string workflowPath, string serverUrl)
    {
        var payload = new ObjectValue();
        var repository = Repository(git, serverUrl);
        var sender = Object(("login", S(actor)), ("type", S("User")));
        switch (eventName)
        {
            case "push":
                payload.Set("ref", S(git.Ref));
                payload.Set("before", S(git.BeforeSha));
                payload.Set("after", S(git.Sha));
                payload.Set("base_ref", ExpressionValue.Null);
                payload.Set("created", ExpressionValue.False);
                payload.Set("deleted", ExpressionValue.False);
                payload.Set("forced", ExpressionValue.False);
                payload.Set("compare", S($"{serverUrl}/{git.FullName}/compare/{Short(git.BeforeSha)}...{Short(git.Sha)}"));
                var commit = git.HeadCommit is null ? null : Commit(git.HeadCommit, git, serverUrl);
                payload.Set("commits", commit is null ? new ArrayValue() : new ArrayValue([commit]));
                payload.Set("head_commit", commit ?? ExpressionValue.Null);
                payload.Set("pusher", Object(("name", S(actor)), ("email", S(git.HeadCommit?.AuthorEmail ?? ""))));
                break;
            case "workflow_dispatch":
                var values = new ObjectValue();
                foreach (var input in inputs)
                {
                    values.Set(input.Key, S(input.Value));
                }

                payload.Set("inputs", values);
                payload.Set("ref", S(git.Ref));
                payload.Set("workflow", S(workflowPath));
                break;
            case "pull_request" or "pull_request_target":
                var branch = GitRepositoryInfo.RefName(git.Ref);
                payload.Set("action", S("opened"));
                payload.Set("number", ExpressionValue.FromNumber(1));
                payload.Set("pull_request", Object(
                    ("number", ExpressionValue.FromNumber(1)),
                    ("state", S("open")),
                    ("title", S(git.HeadCommit?.Message.Split('\n')[0] ?? branch)),
                    ("body", S("")),
                    ("draft", ExpressionValue.False),
                    ("merged", ExpressionValue.False),
                    ("user", Object(("login", S(actor)))),
                    ("html_url", S($"{serverUrl}/{git.FullName}/pull/1")),
                    ("head", Object(("ref", S(branch)), ("sha", S(git.Sha)), ("repo", repository))),
                    ("base", Object(("ref", S(git.DefaultBranch)), ("sha", S(git.BeforeSha)), ("repo", repository)))));
                break;
            case "schedule":
                payload.Set("schedule", S(""));
                break;
        }

        payload.Set("repository", repository);
        payload.Set("sender", sender);
        return payload;
    }

    private static ObjectValue Repository(GitRepositoryInfo git, string serverUrl) => Object(
        ("name", S(git.Name)),
        ("full_name", S(git.FullName)),
        ("owner", Object(("login", S(git.Owner)), ("name", S(git.Owner)))),
        ("default_branch", S(git.DefaultBranch)),
        ("private", ExpressionValue.True),
        ("html_url", S($"{serverUrl}/{git.FullName}")));

    private static ObjectValue Commit(CommitInfo commit, GitRepositoryInfo git, string serverUrl) => Object(
        ("id", S(commit.Sha)),
        ("tree_id", S(commit.Tree)),
        ("distinct", ExpressionValue.True),
        ("message", S(commit.Message)),
        ("timestamp", S(commit.Timestamp)),
        ("url", S($"{serverUrl}/{git.FullName}/commit/{commit.Sha}")),
        ("author", Object(("name", S(commit.AuthorName)), ("email", S(commit.AuthorEmail)), ("username", S(commit.AuthorName)))),
        ("committer", Object(("name", S(commit.CommitterName)), ("email", S(commit.CommitterEmail)), ("username", S(commit.CommitterName)))));

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;

    private static ExpressionValue S(string value) => ExpressionValue.FromString(value);

    private static ObjectValue Object(params (string Key, ExpressionValue Value)[] pairs)
    {
        var result = new ObjectValue();
        foreach (var (key, value) in pairs)
        {
            result.Set(key, value);
        }

        return result;
    }
}
