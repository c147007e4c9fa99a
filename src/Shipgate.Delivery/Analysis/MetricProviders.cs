using System.Globalization;
using Shipgate.Delivery.Configuration;
using Shipgate.Delivery.Edge;
using Shipgate.Delivery.Rollouts;

namespace Shipgate.Delivery.Analysis;

/// <summary>
/// The metrics of an analysis step that are not the edge's own: a Prometheus query, an HTTP check of the canary, a
/// command. Each reading is a measurement that passed, failed, or is inconclusive (no answer, no number, not allowed,
/// not run): a provider that cannot answer never passes.
/// </summary>
internal sealed partial class MetricProviders(IEdgeClient edge, TimeProvider time, CanaryAnalysisOptions options, IAnalysisCommandRunner? commands)
{
    /// <summary>No redirects (a 3xx is the answer) and no proxy from the environment: requests go where they say.</summary>
    private static readonly Lazy<HttpClient> DefaultHttp = new(() => new HttpClient(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
    }));

    private HttpClient Http => options.Http ?? DefaultHttp.Value;

    public Task<AnalysisMeasurement> MeasureAsync(AnalysisMetric metric, CanarySubject subject, CancellationToken cancellationToken) => metric switch
    {
        PrometheusMetric prometheus => QueryAsync(prometheus, subject, cancellationToken),
        HttpCheckMetric http => CheckAsync(http, subject, cancellationToken),
        CommandMetric command => RunAsync(command, subject, cancellationToken),
        _ => throw new ArgumentException($"'{metric.Name}' is not a provider's metric.", nameof(metric)),
    };

    private async Task<AnalysisMeasurement> CheckAsync(HttpCheckMetric metric, CanarySubject subject, CancellationToken cancellationToken)
    {
        Uri listener;
        try
        {
            listener = SmokeRunner.ListenAddress(await edge.GetInfoAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is EdgeUnavailableException or EdgeApiException)
        {
            return Reading(metric, AnalysisOutcome.Inconclusive, $"the edge's listener is not known: {ex.Message}");
        }

        // The path is checked when shipgate.yml is read; this guards the request itself: it goes to the edge's proxy and
        // to the canary's own host name, or nowhere.
        if (!Uri.TryCreate(listener, metric.Check.Path, out var target) || target.Authority != listener.Authority || target.Scheme != listener.Scheme)
        {
            return Reading(metric, AnalysisOutcome.Failed, $"'{metric.Check.Path}' does not stay on the edge's listener, so it was not requested");
        }

        var host = SmokeRunner.ServiceHost(subject.Service, subject.Environment);
        var pinned = new SmokeTarget(listener, host, subject.CanaryVersion);
        var report = await new SmokeRunner(Http, time).RunAsync([metric.Check with { Host = host }], pinned, cancellationToken).ConfigureAwait(false);
        return report.Failure is null
            ? Reading(metric, AnalysisOutcome.Passed, $"{metric.Check.DisplayName} answered {metric.Check.Status}")
            : Reading(metric, AnalysisOutcome.Failed, report.Failure);
    }

    private async Task<AnalysisMeasurement> RunAsync(CommandMetric metric, CanarySubject subject, CancellationToken cancellationToken)
    {
        if (commands is not { } runner)
        {
            return Reading(
                metric, AnalysisOutcome.Inconclusive, "no job's sandbox runs this rollout's analysis commands (a retried rollout has no job), so the command was not run");
        }

        var result = await runner.RunAsync(subject, metric.Run, metric.Timeout, cancellationToken).ConfigureAwait(false);
        var values = new Dictionary<string, double>();
        if (result.ExitCode is { } code)
        {
            values["exit-code"] = code;
        }

        var output = result.LastLine is { Length: > 0 } line ? $"; its last output: {line}" : "";
        var (outcome, summary) = result switch
        {
            { TimedOut: true } => (AnalysisOutcome.Inconclusive, $"the command did not end within {DurationText.Format(metric.Timeout)}{output}"),
            { ExitCode: 0 } => (AnalysisOutcome.Passed, "the command exited 0"),
            { ExitCode: { } failed } => (AnalysisOutcome.Failed, $"the command exited {failed.ToString(CultureInfo.InvariantCulture)}{output}"),
            _ => (AnalysisOutcome.Inconclusive, $"the command did not exit by itself{output}"),
        };
        return Reading(metric, outcome, summary, values);
    }

    private static AnalysisMeasurement Reading(
        AnalysisMetric metric, AnalysisOutcome outcome, string summary, IReadOnlyDictionary<string, double>? values = null) =>
        new(metric.Name, outcome, summary, values ?? new Dictionary<string, double>());
}
