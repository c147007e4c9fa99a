using System.Globalization;

namespace Shipgate.Engine.Actions.Builtin;

/// <summary>
/// <c>trstringer/manual-approval</c> mapped onto Shipgate's approval gate (<see cref="IApprovalGate"/>):
/// approvers, minimum-approvals (default: all of them), exclude-workflow-initiator-as-approver, and the
/// issue's title and body as the approval's. GitHub teams (<c>org/team</c>) are passed on as names.
/// </summary>
internal sealed class ManualApprovalAction : IBuiltinAction
{
    public string Key => "trstringer/manual-approval";

    public async Task<ActionResult> RunAsync(IActionContext context, CancellationToken cancellationToken = default)
    {
        var approvers = context.GetInput("approvers")
            .Split([',', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (approvers.Count == 0)
        {
            return ActionResult.Failure("Input required and not supplied: approvers");
        }

        if (context.GetBoolean("exclude-workflow-initiator-as-approver", false) is not { } excludeInitiator)
        {
            return ActionInputs.Invalid("exclude-workflow-initiator-as-approver", context.GetInput("exclude-workflow-initiator-as-approver"), "true or false");
        }

        if (excludeInitiator)
        {
            approvers.RemoveAll(a => string.Equals(a, context.Actor, StringComparison.OrdinalIgnoreCase));
            if (approvers.Count == 0)
            {
                return ActionResult.Failure($"No approver is left once the workflow initiator ({context.Actor}) is excluded; add other approvers.");
            }
        }

        var minimum = context.GetInteger("minimum-approvals", 0);
        if (minimum is null or < 0)
        {
            return ActionInputs.Invalid("minimum-approvals", context.GetInput("minimum-approvals"), "a whole number");
        }

        var required = minimum == 0 ? approvers.Count : minimum.Value;
        if (required > approvers.Count)
        {
            return ActionResult.Failure($"minimum-approvals is {required} but there are only {approvers.Count} approvers ({string.Join(", ", approvers)}).");
        }

        var gate = context.GetService<IApprovalGate>();
        if (gate is null)
        {
            return ActionResult.Failure("This step waits for a manual approval, which needs a terminal to answer it or --approve-as USER (one of the approvers).");
        }

        var request = new ApprovalRequest(
            context.GetInput("issue-title", $"Manual approval required for run {context.RunId}").Trim(),
            context.GetInput("issue-body", "The workflow is waiting for manual approval."),
            approvers,
            required,
            excludeInitiator,
            context.Actor,
            context.RunId,
            context.Environment.GetValueOrDefault("GITHUB_JOB", ""));
        context.Log($"Waiting for {required.ToString(CultureInfo.InvariantCulture)} approval(s) from {string.Join(", ", approvers)}: {request.Title}");
        var decision = await gate.RequestAsync(request, cancellationToken).ConfigureAwait(false);
        var by = decision.DecidedBy.Count > 0 ? $" by {string.Join(", ", decision.DecidedBy)}" : "";
        if (decision.Approved)
        {
            context.Log($"Approved{by}. {decision.Reason}".TrimEnd());
            return ActionResult.Success;
        }

        var message = $"The approval was denied{by}: {decision.Reason}";
        if (context.GetBoolean("fail-on-denial", true) == false)
        {
            context.Log(message);
            return ActionResult.Success;
        }

        return ActionResult.Failure(message);
    }
}
