namespace Shipgate.Delivery.Analysis;

/// <summary>What the server lets a canary analysis reach beyond the edge; each default is the safe one.</summary>
public sealed class CanaryAnalysisOptions
{
    /// <summary>
    /// The Prometheus servers an analysis may query (base addresses, e.g. <c>http://prometheus:9090/</c>). A
    /// <c>prometheus</c> metric names one of them or, by default, the first; any other address is refused without a
    /// request, so that a commit cannot make the server probe addresses of its choosing. Default: none.
    /// </summary>
    public IReadOnlyList<Uri> PrometheusAddresses { get; init; } = [];

    /// <summary>
    /// Runs <c>command</c> metrics of rollouts that bring no runner of their own (<see cref="Rollouts.RolloutRequest.Commands"/>,
    /// the deploying job's); null (the default): theirs are not run.
    /// </summary>
    public IAnalysisCommandRunner? CommandRunner { get; init; }

    /// <summary>The client for Prometheus queries and HTTP checks; null: one that follows no redirects and uses no proxy.</summary>
    public HttpClient? Http { get; init; }

    /// <summary>How long a Prometheus query may take. Default 10 s.</summary>
    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
