using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Shipgate.Delivery.Configuration;
using Shipgate.Delivery.Edge;

namespace Shipgate.Delivery.Rollouts;

/// <summary>
/// Runs HTTP smoke checks through the edge's listener, one after another: the status, the body (a substring or a
/// regular expression under a match timeout) and the latency, from sending the request to the body's last byte.
/// </summary>
public sealed class SmokeRunner(HttpClient http, TimeProvider time)
{
    /// <summary>The pin header the edge honours: the request goes to that version whatever the weights.</summary>
    public const string VersionHeader = "X-Shipgate-Version";

    /// <summary>The most of a body that is read and matched.</summary>
    internal const int MaxBodyBytes = 1 << 20;

    /// <summary>How long one check may take when it sets no <c>max-latency</c>.</summary>
    internal static readonly TimeSpan DefaultCheckTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The default host of a service: <c>SERVICE.ENVIRONMENT.localhost</c>.</summary>
    public static string ServiceHost(string service, string environment) => $"{service}.{environment}.localhost".ToLowerInvariant();

    /// <summary>Blue-green's preview host: <c>preview.SERVICE.ENVIRONMENT.localhost</c>.</summary>
    public static string PreviewHost(string service, string environment) => "preview." + ServiceHost(service, environment);

    /// <summary>The edge's first listening address as a base to send requests to (a wildcard address becomes loopback).</summary>
    public static Uri ListenAddress(EdgeInfo info)
    {
        if (info.Listen.Count == 0 || !Uri.TryCreate(info.Listen[0], UriKind.Absolute, out var uri))
        {
            throw new EdgeUnavailableException("The edge reports no address it listens on.");
        }

        var builder = new UriBuilder(uri);
        if (builder.Host is "0.0.0.0" or "*" or "+")
        {
            builder.Host = "127.0.0.1";
        }
        else if (builder.Host is "[::]" or "::")
        {
            builder.Host = "[::1]";
        }

        return builder.Uri;
    }

    /// <summary>Runs every check (all of them, so the log shows each); the report's failure is the first that failed.</summary>
    public async Task<SmokeReport> RunAsync(IReadOnlyList<SmokeCheck> checks, SmokeTarget target, CancellationToken cancellationToken = default)
    {
        var lines = new List<string>(checks.Count);
        string? failure = null;
        foreach (var check in checks)
        {
            var problem = await CheckAsync(check, target, cancellationToken).ConfigureAwait(false);
            lines.Add(problem is null ? $"passed: {check.DisplayName}" : $"failed: {check.DisplayName}: {problem}");
            failure ??= problem is null ? null : $"Smoke check '{check.DisplayName}' failed: {problem}";
        }

        return new SmokeReport(lines, failure);
    }

    private async Task<string?> CheckAsync(SmokeCheck check, SmokeTarget target, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(check.Method), new Uri(target.BaseAddress, check.Path));
        request.Headers.Host = check.Host ?? target.Host;
        if (target.PinVersion is { } version)
        {
            request.Headers.TryAddWithoutValidation(VersionHeader, version);
        }

        var limit = check.MaxLatency is { } latency ? latency + TimeSpan.FromSeconds(5) : DefaultCheckTimeout;
        using var timeout = new CancellationTokenSource(limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var started = time.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var body = await ReadBodyAsync(response, linked.Token).ConfigureAwait(false);
            var elapsed = time.GetElapsedTime(started);
            if ((int)response.StatusCode != check.Status)
            {
                return $"expected status {check.Status}, got {(int)response.StatusCode}";
            }

            if (check.BodyContains is { } text && !body.Contains(text, StringComparison.Ordinal))
            {
                return $"the body does not contain '{text}'";
            }

            if (check.BodyMatches is { } pattern)
            {
                try
                {
                    if (!Regex.IsMatch(body, pattern, RegexOptions.CultureInvariant, ShipgateConfigParser.RegexTimeout))
                    {
                        return $"the body does not match '{pattern}'";
                    }
                }
                catch (RegexMatchTimeoutException)
                {
                    return $"matching the body against '{pattern}' took longer than {ShipgateConfigParser.RegexTimeout.TotalMilliseconds:0} ms";
                }
            }

            if (check.MaxLatency is { } max && elapsed > max)
            {
                return $"it took {Milliseconds(elapsed)}, more than its max-latency of {Milliseconds(max)}";
            }

            return null;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {Milliseconds(limit)}";
        }
        catch (HttpRequestException ex)
        {
            return $"the request failed ({ex.HttpRequestError})";
        }
    }

    /// <summary>The body as text, its first <see cref="MaxBodyBytes"/> only.</summary>
    internal static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxBodyBytes];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
            {
                read += n;
            }

            return Encoding.UTF8.GetString(buffer, 0, read);
        }
    }

    private static string Milliseconds(TimeSpan value) => value.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
}
