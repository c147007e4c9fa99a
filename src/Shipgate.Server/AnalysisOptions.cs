namespace Shipgate.Server;

/// <summary>
/// What a canary's analysis may reach beyond the edge (the <c>Shipgate:Analysis</c> section). The strategy comes from
/// the commit being deployed, so these are the server's to give, never the commit's (docs/progressive-delivery.md).
/// </summary>
public sealed class AnalysisOptions
{
    /// <summary>
    /// The Prometheus servers an analysis's <c>prometheus</c> metrics may query, as base addresses
    /// (<c>Shipgate:Analysis:Prometheus:0=http://prometheus:9090/</c>); the first is the default. Default none: such
    /// metrics are inconclusive and no query is sent.
    /// </summary>
    public List<string> Prometheus { get; set; } = [];
}
