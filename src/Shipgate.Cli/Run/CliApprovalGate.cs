using Shipgate.Engine.Actions;

namespace Shipgate.Cli.Run;

/// <summary>
/// The approval gate of <c>shipgate run</c>: answered by <c>--approve-as USER</c>, else asked on the
/// terminal, else denied at once with a sentence that says how to approve. Prompts are serialized:
/// parallel jobs may wait for approval at the same time.
/// </summary>
internal sealed class CliApprovalGate(IReadOnlyList<string> approveAs, bool interactive, TextReader input, TextWriter output) : IApprovalGate
{
    private readonly SemaphoreSlim _prompt = new(1, 1);

    /// <summary>Called around a terminal prompt so that a live display can step aside.</summary>
    public Func<Func<Task<ApprovalDecision>>, Task<ApprovalDecision>> AroundPrompt { get; set; } = ask => ask();

    public async Task<ApprovalDecision> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        var approvers = request.Approvers.Select(a => a.Trim()).Where(a => a.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var eligible = approvers
            .Where(a => !(request.ExcludeInitiator && string.Equals(a, request.Initiator, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        var required = request.MinimumApprovals > 0 ? request.MinimumApprovals : approvers.Count;
        var list = approvers.Count == 0 ? "nobody" : string.Join(", ", approvers);
        if (approvers.Count == 0)
        {
            return Denied("the approval names no approvers");
        }

        if (eligible.Count < required)
        {
            return Denied($"it needs {required} approval(s) but only {eligible.Count} of the approvers ({list}) may approve");
        }

        if (approveAs.Count > 0)
        {
            return DecideFromArguments(request, approvers, required, list);
        }

        if (!interactive)
        {
            return Denied($"approval '{request.Title}' needs a person: run `shipgate run` on a terminal, or pass --approve-as USER (one of: {list})");
        }

        await _prompt.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await AroundPrompt(() => AskAsync(request, eligible, required, list, cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            _prompt.Release();
        }
    }

    private ApprovalDecision DecideFromArguments(ApprovalRequest request, List<string> approvers, int required, string list)
    {
        var approvedBy = new List<string>();
        foreach (var user in approveAs.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (!approvers.Contains(user, StringComparer.OrdinalIgnoreCase))
            {
                return Denied($"{user} is not one of the approvers ({list})");
            }

            if (request.ExcludeInitiator && string.Equals(user, request.Initiator, StringComparison.OrdinalIgnoreCase))
            {
                return Denied($"{user} started the run and may not approve it");
            }

            approvedBy.Add(user);
        }

        return approvedBy.Count >= required
            ? new ApprovalDecision(true, approvedBy, $"approved by {string.Join(", ", approvedBy)}")
            : Denied($"it needs {required} approval(s) and --approve-as gave {approvedBy.Count}");
    }

    private async Task<ApprovalDecision> AskAsync(ApprovalRequest request, List<string> eligible, int required, string list, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync($"Approval requested by job '{request.JobId}': {request.Title}").ConfigureAwait(false);
        if (request.Body.Length > 0)
        {
            await output.WriteLineAsync(request.Body).ConfigureAwait(false);
        }

        var approvedBy = new List<string>();
        while (approvedBy.Count < required)
        {
            await output.WriteAsync($"Approve as (one of {list}; empty to reject): ").ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            var user = (await input.ReadLineAsync(cancellationToken).ConfigureAwait(false))?.Trim();
            if (string.IsNullOrEmpty(user))
            {
                return Denied("rejected on the terminal");
            }

            var match = eligible.FirstOrDefault(e => string.Equals(e, user, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                await output.WriteLineAsync($"{user} may not approve this; the approvers are {list}.").ConfigureAwait(false);
                continue;
            }

            if (!approvedBy.Contains(match))
            {
                approvedBy.Add(match);
            }
        }

        return new ApprovalDecision(true, approvedBy, $"approved on the terminal by {string.Join(", ", approvedBy)}");
    }

    private static ApprovalDecision Denied(string reason) => new(false, [], reason);
}
