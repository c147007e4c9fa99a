using Shipgate.Server.Api;

namespace Shipgate.Server.Insights;

/// <summary>The approval waits of one scope, gathered as the approvals are walked once.</summary>
internal sealed class ApprovalTally(string? project, string? environment)
{
    public int Decided { get; set; }

    public int Expired { get; set; }

    public int WaitingNow { get; set; }

    public DateTimeOffset? OldestWaitingSince { get; set; }

    public DurationSamples Waits { get; } = new();

    public ApprovalWaitResponse ToResponse() => new(project, environment, Decided, Expired, WaitingNow)
    {
        Wait = Waits.Summary(),
        OldestWaitingSince = OldestWaitingSince,
    };
}
