using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Shipgate.Server.Tests.Infrastructure;

/// <summary>
/// A client that keeps sending GET requests to a service through the edge at a steady rate (default 300 per second,
/// from a few keep-alive connections) and checks every answer: a request counts as failed unless it got a 200 with an
/// <c>X-Shipgate-Version</c> header. The reliability tests run it across a deployment, a rollback or a kill and
/// assert that nothing failed.
/// </summary>
internal sealed class TrafficProbe : IAsyncDisposable
{
    private const int MaxRecordedFailures = 20;

    private readonly HttpClient _client;
    private readonly Uri _target;
    private readonly string _host;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;
    private readonly ConcurrentDictionary<string, long> _versions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentDictionary<string, long> _failedVersions = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _sent;
    private long _failed;

    private TrafficProbe(Uri edge, string host, string path, int requestsPerSecond, int connections)
    {
        _client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
        })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
        _target = new Uri(edge, path);
        _host = host;
        var interval = TimeSpan.FromSeconds(connections / (double)requestsPerSecond);
        _workers = Enumerable.Range(0, connections).Select(i => Task.Run(() => SendAsync(interval, i * interval / connections))).ToArray();
    }

    /// <summary>Requests sent so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Requests that did not get a 200 with a version header.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>The first failures, each one sentence (status or exception, and when).</summary>
    public IReadOnlyList<string> Failures => [.. _failures];

    /// <summary>How many failed requests each version answered; "" counts those no version answered (no answer, or no header).</summary>
    public IReadOnlyDictionary<string, long> FailedByVersion => new Dictionary<string, long>(_failedVersions, StringComparer.Ordinal);

    /// <summary>How many answers came from each version.</summary>
    public IReadOnlyDictionary<string, long> Versions => new Dictionary<string, long>(_versions, StringComparer.Ordinal);

    /// <summary>Starts sending to <paramref name="edge"/> (the proxy's address) with <c>Host: <paramref name="host"/></c>.</summary>
    public static TrafficProbe Start(Uri edge, string host, string path = "/", int requestsPerSecond = 300, int connections = 16) =>
        new(edge, host, path, requestsPerSecond, connections);

    /// <summary>Waits until <paramref name="count"/> more answers came from <paramref name="version"/> than when it was called.</summary>
    public async Task WaitForAnswersFromAsync(string version, long count = 20, TimeSpan? timeout = null)
    {
        var target = _versions.GetValueOrDefault(version) + count;
        using var deadline = new CancellationTokenSource(timeout ?? TestTimeouts.Default);
        while (_versions.GetValueOrDefault(version) < target)
        {
            try
            {
                await Task.Delay(20, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out waiting for {count} answers from version {version}; seen {Describe()}.");
            }
        }
    }

    /// <summary>Stops sending and waits for the requests in flight.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers).WaitAsync(TestTimeouts.Default);
    }

    /// <summary>Sent, failed, the rate and the versions seen, for a test's message.</summary>
    public string Describe() =>
        $"{Sent} requests in {_clock.Elapsed.TotalSeconds:0.0} s ({Sent / Math.Max(_clock.Elapsed.TotalSeconds, 0.001):0}/s), {Failed} failed, versions "
        + string.Join(", ", Versions.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}: {v.Value}"))
        + (_failures.IsEmpty ? "" : "; failures: " + string.Join(" | ", _failures));

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _client.Dispose();
        _stop.Dispose();
    }

    private async Task SendAsync(TimeSpan interval, TimeSpan offset)
    {
        // Open loop: request i of this connection is due at offset + i * interval, whatever the answers took, so a
        // slow moment is followed by a catch-up burst rather than a lower rate.
        var due = offset;
        while (!_stop.IsCancellationRequested)
        {
            var wait = due - _clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            due += interval;
            await SendOneAsync();
        }
    }

    private async Task SendOneAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _target);
        request.Headers.Host = _host;
        Interlocked.Increment(ref _sent);
        string? failure;
        try
        {
            // Not cancelled by the stop: a request that was sent gets its answer checked.
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
            var version = response.Headers.TryGetValues("X-Shipgate-Version", out var values) ? values.FirstOrDefault() : null;
            if (response.StatusCode == HttpStatusCode.OK && !string.IsNullOrEmpty(version))
            {
                _versions.AddOrUpdate(version, 1, (_, n) => n + 1);
                return;
            }

            _failedVersions.AddOrUpdate(version ?? "", 1, (_, n) => n + 1);
            var body = await response.Content.ReadAsStringAsync();
            failure = $"{(int)response.StatusCode} (version '{version}') at {_clock.Elapsed.TotalSeconds:0.000} s: {body[..Math.Min(body.Length, 200)]}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            failure = $"{ex.GetType().Name} at {_clock.Elapsed.TotalSeconds:0.000} s: {ex.Message}";
            _failedVersions.AddOrUpdate("", 1, (_, n) => n + 1);
        }

        Interlocked.Increment(ref _failed);
        if (_failures.Count < MaxRecordedFailures)
        {
            _failures.Enqueue(failure);
        }
    }
}
