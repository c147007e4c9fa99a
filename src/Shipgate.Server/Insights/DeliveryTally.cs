using Shipgate.Server.Api;

namespace Shipgate.Server.Insights;

/// <summary>The counts and durations of one scope's deployments, gathered as the history is walked once.</summary>
internal sealed class DeliveryTally(string? project, string? environment)
{
    public int Deployments { get; set; }

    public int Succeeded { get; set; }

    public int Failed { get; set; }

    public int RolledBack { get; set; }

    public int ChangeFailures { get; set; }

    public int Rework { get; set; }

    public int LeadTimeUnknown { get; set; }

    public int Unrecovered { get; set; }

    public DurationSamples LeadTimes { get; } = new();

    public DurationSamples RecoveryTimes { get; } = new();

    public DeliveryMeasuresResponse ToResponse(InsightsPeriod period) => new(project, environment, Deployments, Succeeded, Failed, RolledBack)
    {
        DeploymentFrequency = Deployments == 0
            ? null
            : new FrequencyResponse(Math.Round(Succeeded / period.Days, 3), Math.Round(Succeeded / (period.Days / 7), 3)),
        LeadTime = LeadTimes.Summary(),
        LeadTimeUnknown = LeadTimeUnknown,
        ChangeFailRate = Rate(ChangeFailures),
        RecoveryTime = RecoveryTimes.Summary(),
        Unrecovered = Unrecovered,
        ReworkRate = Rate(Rework),
    };

    private RateResponse? Rate(int count) => Deployments == 0 ? null : new RateResponse(count, Deployments, Math.Round((double)count / Deployments, 4));
}
