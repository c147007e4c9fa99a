using System.Globalization;
using Shipgate.Core.Expressions;
using Shipgate.Engine.Contexts;

namespace Shipgate.Engine.Runs;

/// <summary>
/// Evaluates a workflow's <c>concurrency</c> before the run starts, for a host that queues runs (the
/// server puts the group on the queued run). Only the contexts GitHub allows there are given: github
/// (the run-wide keys that are known before the run exists; <c>github.event</c> is empty), inputs
/// (with their defaults) and vars.
/// </summary>
public static class WorkflowConcurrency
{
    /// <summary>
    /// The group and cancel-in-progress of <paramref name="request"/>'s workflow, or null when it has
    /// none or its expressions fail (the run then fails with the positioned error when it starts).
    /// </summary>
    public static async Task<WorkflowConcurrencyGroup?> EvaluateAsync(RunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Workflow.Concurrency is not { } concurrency)
        {
            return null;
        }

        var git = await GitRepositoryInfo.LoadAsync(Path.GetFullPath(request.RepositoryDirectory), request.Ref, request.Sha, request.Actor, cancellationToken).ConfigureAwait(false);
        var workflowPath = RunEngine.RelativeWorkflowPath(Path.GetFullPath(request.RepositoryDirectory), request.Workflow.FilePath);
        var pullRequest = request.EventName.StartsWith("pull_request", StringComparison.Ordinal);
        var github = new ObjectValue();
        void Set(string key, string value) => github.Set(key, ExpressionValue.FromString(value));
        Set("actor", request.Actor);
        Set("base_ref", pullRequest ? git.DefaultBranch : "");
        Set("event_name", request.EventName);
        github.Set("event", new ObjectValue());
        Set("head_ref", pullRequest ? GitRepositoryInfo.RefName(git.Ref) : "");
        Set("ref", git.Ref);
        Set("ref_name", GitRepositoryInfo.RefName(git.Ref));
        Set("ref_type", GitRepositoryInfo.RefType(git.Ref));
        Set("repository", git.FullName);
        Set("repository_owner", git.Owner);
        Set("run_id", request.RunId ?? "");
        Set("run_number", request.RunNumber.ToString(CultureInfo.InvariantCulture));
        Set("run_attempt", request.RunAttempt.ToString(CultureInfo.InvariantCulture));
        Set("server_url", GithubContextBuilder.ServerUrl);
        Set("sha", git.Sha);
        Set("triggering_actor", request.Actor);
        Set("workflow", request.Workflow.Name?.Value is { Length: > 0 } name ? name : workflowPath);
        Set("workflow_ref", $"{git.FullName}/{workflowPath}@{git.Ref}");
        Set("workflow_sha", git.Sha);

        var evaluator = new ExpressionEvaluator();
        var variables = ValueConversion.FromStrings(request.Variables);
        try
        {
            var defaultsContext = new EvaluationContext
            {
                Contexts = new Dictionary<string, ExpressionValue>(StringComparer.OrdinalIgnoreCase) { ["github"] = github, ["vars"] = variables },
            };
            var definitions = request.EventName == "workflow_dispatch" ? request.Workflow.On.WorkflowDispatch?.Inputs ?? [] : [];
            var given = request.Inputs.ToDictionary(p => p.Key, p => ExpressionValue.FromString(p.Value), StringComparer.OrdinalIgnoreCase);
            var inputs = InputsBuilder.Build(definitions, given, token => evaluator.EvaluateValue(token, defaultsContext));
            var context = new EvaluationContext
            {
                Contexts = new Dictionary<string, ExpressionValue>(StringComparer.OrdinalIgnoreCase)
                {
                    ["github"] = github,
                    ["inputs"] = inputs,
                    ["vars"] = variables,
                },
            };
            var group = evaluator.EvaluateString(concurrency.Group, context);
            return group.Length == 0 ? null : new WorkflowConcurrencyGroup(group, evaluator.EvaluateBoolean(concurrency.CancelInProgress, context));
        }
        catch (WorkflowEvaluationException)
        {
            return null;
        }
    }
}
