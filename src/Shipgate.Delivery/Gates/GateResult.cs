namespace Shipgate.Delivery.Gates;

/// <summary>
/// The answer of a gate (DESIGN principle 6: gates are one concept): pass, fail or pending, one sentence
/// saying why, and the numbers it was based on, so that the decision can be recorded, audited and shown.
/// Approvals, wait timers, freeze windows and branch rules answer with it now; smoke tests, metric analysis
/// and flag ramps will too.
/// </summary>
public sealed record GateResult
{
    /// <summary>Which gate answered (<see cref="GateNames"/>).</summary>
    public required string Gate { get; init; }

    public required GateStatus Status { get; init; }

    /// <summary>Why, in one sentence for people ("waiting for 1 approval from alice or team:release-managers").</summary>
    public required string Reason { get; init; }

    /// <summary>The numbers behind the answer, in a stable order.</summary>
    public IReadOnlyList<GateNumber> Numbers { get; init; } = [];

    /// <summary>
    /// For <see cref="GateStatus.Pending"/>: when the answer changes by itself (a timer ends, a window closes,
    /// an approval expires), so that the caller asks again then; null when only an event (a decision) changes it.
    /// </summary>
    public DateTimeOffset? RetryAt { get; init; }

    public static GateResult Pass(string gate, string reason, params IReadOnlyList<GateNumber> numbers) =>
        new() { Gate = gate, Status = GateStatus.Pass, Reason = reason, Numbers = numbers };

    public static GateResult Fail(string gate, string reason, params IReadOnlyList<GateNumber> numbers) =>
        new() { Gate = gate, Status = GateStatus.Fail, Reason = reason, Numbers = numbers };

    public static GateResult Pending(string gate, string reason, DateTimeOffset? retryAt, params IReadOnlyList<GateNumber> numbers) =>
        new() { Gate = gate, Status = GateStatus.Pending, Reason = reason, Numbers = numbers, RetryAt = retryAt };

    /// <summary>
    /// The answer of several gates together: fail when any fails (with the first failure's reason), else
    /// pending when any is pending (the first pending reason, and the earliest time any of them changes by
    /// itself), else pass. The numbers count the gates in each state.
    /// </summary>
    public static GateResult Combine(string gate, IReadOnlyList<GateResult> results)
    {
        var numbers = new GateNumber[]
        {
            new("passed", results.Count(r => r.Status == GateStatus.Pass)),
            new("pending", results.Count(r => r.Status == GateStatus.Pending)),
            new("failed", results.Count(r => r.Status == GateStatus.Fail)),
        };
        if (results.FirstOrDefault(r => r.Status == GateStatus.Fail) is { } failed)
        {
            return Fail(gate, failed.Reason, numbers);
        }

        if (results.FirstOrDefault(r => r.Status == GateStatus.Pending) is { } pending)
        {
            var retryAt = results.Where(r => r.Status == GateStatus.Pending && r.RetryAt is not null).Min(r => r.RetryAt);
            return Pending(gate, pending.Reason, retryAt, numbers);
        }

        return Pass(gate, results.Count == 0 ? "no gate applies" : "every gate passed", numbers);
    }
}
