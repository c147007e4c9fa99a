using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Shipgate.Delivery.Configuration;
using Shipgate.Delivery.Rollouts;

namespace Shipgate.Delivery.Analysis;

internal sealed partial class MetricProviders
{
    private async Task<AnalysisMeasurement> QueryAsync(PrometheusMetric metric, CanarySubject subject, CancellationToken cancellationToken)
    {
        var address = metric.Address ?? options.PrometheusAddresses.FirstOrDefault();
        if (address is null)
        {
            return Reading(
                metric, AnalysisOutcome.Inconclusive, "no Prometheus is configured on this server (Shipgate:Analysis:Prometheus), so the query was not sent");
        }

        var allowed = options.PrometheusAddresses.FirstOrDefault(a => SameBase(a, address));
        if (allowed is null)
        {
            return Reading(
                metric, AnalysisOutcome.Inconclusive, $"{address} is not a Prometheus this server allows (Shipgate:Analysis:Prometheus), so the query was not sent");
        }

        var query = metric.Query
            .Replace("{{canary}}", subject.CanaryVersion, StringComparison.Ordinal)
            .Replace("{{stable}}", subject.StableVersion, StringComparison.Ordinal)
            .Replace("{{service}}", subject.Service, StringComparison.Ordinal)
            .Replace("{{environment}}", subject.Environment, StringComparison.Ordinal);

        // The server's own base address and path; the commit's text goes only into the escaped query parameter.
        var uri = new Uri(WithSlash(allowed), "api/v1/query?query=" + Uri.EscapeDataString(query));
        using var timeout = new CancellationTokenSource(options.QueryTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        string body;
        int status;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            body = await SmokeRunner.ReadBodyAsync(response, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var limit = DurationText.FormatPrecise(options.QueryTimeout);
            return Reading(metric, AnalysisOutcome.Inconclusive, $"Prometheus at {allowed} did not answer within {limit}");
        }
        catch (HttpRequestException ex)
        {
            return Reading(metric, AnalysisOutcome.Inconclusive, $"Prometheus at {allowed} did not answer ({ex.HttpRequestError})");
        }

        var (value, problem) = ReadNumber(status, body);
        if (problem is not null)
        {
            return Reading(metric, AnalysisOutcome.Inconclusive, $"Prometheus at {allowed}: {problem}");
        }

        // JSON has no infinity (Prometheus answers +Inf for a division by zero): such a value is judged but not recorded.
        var values = double.IsFinite(value) ? new Dictionary<string, double> { ["value"] = value } : [];
        var shown = value.ToString("G6", CultureInfo.InvariantCulture);

        // As Argo Rollouts: the failure condition fails; else the success condition passes or, when it is the only one, fails.
        if (metric.Failure is { } failure && failure.IsMetBy(value))
        {
            return Reading(metric, AnalysisOutcome.Failed, $"{shown} meets the failure condition {failure}", values);
        }

        var (outcome, summary) = metric.Success switch
        {
            null => (AnalysisOutcome.Passed, $"{shown} does not meet the failure condition {metric.Failure}"),
            var success when success.IsMetBy(value) => (AnalysisOutcome.Passed, $"{shown} meets the success condition {success}"),
            var success when metric.Failure is null => (AnalysisOutcome.Failed, $"{shown} does not meet the success condition {success}"),
            var success => (AnalysisOutcome.Inconclusive, $"{shown} meets neither the success condition {success} nor the failure condition {metric.Failure}"),
        };
        return Reading(metric, outcome, summary, values);
    }

    /// <summary>One number from an instant query's answer: a scalar, or a vector of exactly one sample.</summary>
    internal static (double Value, string? Problem) ReadNumber(int status, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out var state) || state.ValueKind != JsonValueKind.String)
            {
                return (double.NaN, $"the answer (HTTP {status}) is not a Prometheus API answer");
            }

            if (state.GetString() != "success")
            {
                var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : "no reason given";
                return (double.NaN, $"the query failed (HTTP {status}): {Shorten(error)}");
            }

            var data = root.GetProperty("data");
            var result = data.GetProperty("result");
            var sample = data.GetProperty("resultType").GetString() switch
            {
                "scalar" => result,
                "vector" when result.GetArrayLength() == 1 => result[0].GetProperty("value"),
                "vector" => default,
                var other => throw new FormatException($"a {other} result"),
            };
            if (sample.ValueKind == JsonValueKind.Undefined)
            {
                return (double.NaN, $"the query returned {result.GetArrayLength()} series; it must return one number (no data is not a pass)");
            }

            // Prometheus writes infinities as +Inf and -Inf (Go's formatting), which .NET does not read by itself.
            var text = sample[1].GetString();
            var value = text switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : double.NaN,
            };
            return double.IsNaN(value) ? (double.NaN, $"the query returned '{Shorten(text)}', not a number") : (value, null);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException
                                       or FormatException)
        {
            return (double.NaN, $"the answer (HTTP {status}) is not an instant query's result");
        }
    }

    private static bool SameBase(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port
        && WithSlash(a).AbsolutePath == WithSlash(b).AbsolutePath && b.Query.Length == 0 && b.UserInfo.Length == 0;

    private static Uri WithSlash(Uri address) => address.AbsolutePath.EndsWith('/') ? address : new Uri(address + "/");

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 200 ? text : text[..200] + "…";
}
