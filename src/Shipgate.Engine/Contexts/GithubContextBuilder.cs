using System.Globalization;
using Shipgate.Core.Expressions;
using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Contexts;

/// <summary>
/// Builds the <c>github</c> and <c>runner</c> contexts and the default environment variables that
/// mirror them (GITHUB_*, RUNNER_*, CI).
/// </summary>
internal static class GithubContextBuilder
{
    public const string ServerUrl = "https://github.com";

    /// <summary>The run-wide part of <c>github</c>, without job and step keys.</summary>
    public static ObjectValue BuildRunContext(RunContext run, WorkflowScope scope)
    {
        var git = run.Git;
        var request = run.Request;
        var github = new ObjectValue();
        Set(github, "action", "");
        Set(github, "action_path", "");
        Set(github, "action_ref", "");
        Set(github, "action_repository", "");
        Set(github, "actor", request.Actor);
        Set(github, "actor_id", "0");
        Set(github, "api_url", "https://api.github.com");
        Set(github, "base_ref", request.EventName.StartsWith("pull_request", StringComparison.Ordinal) ? git.DefaultBranch : "");
        Set(github, "event_name", request.EventName);
        github.Set("event", run.EventPayload);
        Set(github, "event_path", run.EventPath);
        Set(github, "graphql_url", "https://api.github.com/graphql");
        Set(github, "head_ref", request.EventName.StartsWith("pull_request", StringComparison.Ordinal) ? GitRepositoryInfo.RefName(git.Ref) : "");
        Set(github, "job", "");
        Set(github, "ref", git.Ref);
        Set(github, "ref_name", GitRepositoryInfo.RefName(git.Ref));
        github.Set("ref_protected", ExpressionValue.False);
        Set(github, "ref_type", GitRepositoryInfo.RefType(git.Ref));
        Set(github, "repository", git.FullName);
        Set(github, "repository_id", "0");
        Set(github, "repository_owner", git.Owner);
        Set(github, "repository_owner_id", "0");
        Set(github, "repositoryUrl", $"git://github.com/{git.FullName}.git");
        Set(github, "retention_days", "90");
        Set(github, "run_id", run.RunId);
        Set(github, "run_number", request.RunNumber.ToString(CultureInfo.InvariantCulture));
        Set(github, "run_attempt", request.RunAttempt.ToString(CultureInfo.InvariantCulture));
        Set(github, "secret_source", "None");
        Set(github, "server_url", ServerUrl);
        Set(github, "sha", git.Sha);
        Set(github, "token", "");
        Set(github, "triggering_actor", request.Actor);
        Set(github, "workflow", WorkflowName(scope));
        Set(github, "workflow_ref", $"{git.FullName}/{scope.WorkflowPath}@{git.Ref}");
        Set(github, "workflow_sha", git.Sha);
        Set(github, "workspace", "");
        return github;
    }

    public static string WorkflowName(WorkflowScope scope) =>
        scope.Workflow.Name?.Value is { Length: > 0 } name ? name : scope.WorkflowPath;

    /// <summary>A copy of <paramref name="source"/> with the given keys replaced.</summary>
    public static ObjectValue With(ObjectValue source, params (string Key, string Value)[] changes)
    {
        var copy = new ObjectValue();
        foreach (var pair in source.Pairs)
        {
            copy.Set(pair.Key, pair.Value);
        }

        foreach (var (key, value) in changes)
        {
            Set(copy, key, value);
        }

        return copy;
    }

    public static ObjectValue BuildRunner(RunContext run, string temp) => Object(
        ("name", run.Options.RunnerName),
        ("os", "Linux"),
        ("arch", "X64"),
        ("environment", "self-hosted"),
        ("temp", temp),
        ("tool_cache", run.ToolCache),
        ("debug", ""));

    /// <summary>The default variables of a step, from the job's <c>github</c> and <c>runner</c> contexts.</summary>
    public static void AddDefaultEnvironment(IDictionary<string, string> environment, ObjectValue github, ObjectValue runner)
    {
        environment["CI"] = "true";
        environment["GITHUB_ACTIONS"] = "true";
        foreach (var (name, key) in EnvironmentNames)
        {
            environment[name] = github[key] is StringValue s ? s.Value : ValueConversion.ToDisplayString(github[key]);
        }

        environment["GITHUB_REF_PROTECTED"] = "false";
        environment["RUNNER_OS"] = "Linux";
        environment["RUNNER_ARCH"] = "X64";
        environment["RUNNER_NAME"] = ValueConversion.ToDisplayString(runner["name"]);
        environment["RUNNER_TEMP"] = ValueConversion.ToDisplayString(runner["temp"]);
        environment["RUNNER_TOOL_CACHE"] = ValueConversion.ToDisplayString(runner["tool_cache"]);
        environment["RUNNER_ENVIRONMENT"] = "self-hosted";
    }

    private static readonly (string Name, string Key)[] EnvironmentNames =
    [
        ("GITHUB_ACTION", "action"),
        ("GITHUB_ACTION_PATH", "action_path"),
        ("GITHUB_ACTION_REF", "action_ref"),
        ("GITHUB_ACTION_REPOSITORY", "action_repository"),
        ("GITHUB_ACTOR", "actor"),
        ("GITHUB_ACTOR_ID", "actor_id"),
        ("GITHUB_API_URL", "api_url"),
        ("GITHUB_BASE_REF", "base_ref"),
        ("GITHUB_EVENT_NAME", "event_name"),
        ("GITHUB_EVENT_PATH", "event_path"),
        ("GITHUB_GRAPHQL_URL", "graphql_url"),
        ("GITHUB_HEAD_REF", "head_ref"),
        ("GITHUB_JOB", "job"),
        ("GITHUB_REF", "ref"),
        ("GITHUB_REF_NAME", "ref_name"),
        ("GITHUB_REF_TYPE", "ref_type"),
        ("GITHUB_REPOSITORY", "repository"),
        ("GITHUB_REPOSITORY_ID", "repository_id"),
        ("GITHUB_REPOSITORY_OWNER", "repository_owner"),
        ("GITHUB_REPOSITORY_OWNER_ID", "repository_owner_id"),
        ("GITHUB_RETENTION_DAYS", "retention_days"),
        ("GITHUB_RUN_ATTEMPT", "run_attempt"),
        ("GITHUB_RUN_ID", "run_id"),
        ("GITHUB_RUN_NUMBER", "run_number"),
        ("GITHUB_SERVER_URL", "server_url"),
        ("GITHUB_SHA", "sha"),
        ("GITHUB_TRIGGERING_ACTOR", "triggering_actor"),
        ("GITHUB_WORKFLOW", "workflow"),
        ("GITHUB_WORKFLOW_REF", "workflow_ref"),
        ("GITHUB_WORKFLOW_SHA", "workflow_sha"),
        ("GITHUB_WORKSPACE", "workspace"),
    ];

    private static void Set(ObjectValue target, string key, string value) => target.Set(key, ExpressionValue.FromString(value));

    private static ObjectValue Object(params (string Key, string Value)[] pairs)
    {
        var result = new ObjectValue();
        foreach (var (key, value) in pairs)
        {
            Set(result, key, value);
        }

        return result;
    }
}
