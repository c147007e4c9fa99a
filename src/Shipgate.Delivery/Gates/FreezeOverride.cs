namespace Shipgate.Delivery.Gates;

/// <summary>
/// An admin's decision to let one deployment (one <see cref="Approvals.ApprovalKey"/>) through a freeze window,
/// with the reason the audit log keeps. The server checks that <see cref="By"/> is an admin before it makes one.
/// </summary>
public sealed record FreezeOverride
{
    /// <summary>The longest reason accepted, in characters.</summary>
    public const int MaxReasonLength = 2000;

    private FreezeOverride(string by, string reason, DateTimeOffset at)
    {
        By = by;
        Reason = reason;
        At = at;
    }

    /// <summary>The admin who overrode the freeze.</summary>
    public string By { get; }

    /// <summary>Why, in their words.</summary>
    public string Reason { get; }

    /// <summary>When.</summary>
    public DateTimeOffset At { get; }

    /// <summary>Makes an override; the error is one sentence when the reason is missing or too long.</summary>
    public static bool TryCreate(string by, string? reason, DateTimeOffset at, out FreezeOverride? freezeOverride, out string? error)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        freezeOverride = null;
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            error = "overriding a freeze needs a reason";
            return false;
        }

        if (reason.Length > MaxReasonLength)
        {
            error = $"the reason is {reason.Length} characters long; the limit is {MaxReasonLength}";
            return false;
        }

        freezeOverride = new FreezeOverride(by, reason, at);
        error = null;
        return true;
    }
}
