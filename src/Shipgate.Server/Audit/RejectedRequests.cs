using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shipgate.Server.Hosting;
using Shipgate.Server.Runs;
using Shipgate.Storage.Audit;

namespace Shipgate.Server.Audit;

/// <summary>
/// Refused unauthenticated requests (a webhook with a bad or missing signature), counted instead of
/// audited one by one: one audit entry per source (actor), target, reason and minute, with the count, the
/// first and last time, and the first request's fields cut to <see cref="MaxFieldLength"/> characters. A
/// minute's entries are written when the minute ends, and at a clean stop; at most
/// <see cref="MaxKeysPerMinute"/> sources a minute are told apart, the rest are counted together. So
/// whoever sends requests without credentials cannot grow the log by more than a bounded amount a minute.
/// </summary>
internal sealed class RejectedRequests(ServerStore store, TimeProvider time, ILogger<RejectedRequests> logger) : BackgroundService
{
    /// <summary>The longest value kept of a request's field (a header, the event name).</summary>
    public const int MaxFieldLength = 256;

    /// <summary>How many sources, targets and reasons a minute are told apart.</summary>
    public const int MaxKeysPerMinute = 1000;

    private const string OtherSources = "*";

    private readonly Lock _lock = new();
    private Dictionary<TallyKey, Tally> _tallies = [];

    /// <summary>Counts one refused request of <paramref name="actor"/> (e.g. <c>webhook:203.0.113.7</c>) at <paramref name="target"/>.</summary>
    public void Record(string action, string actor, string target, string reason, IReadOnlyDictionary<string, string> fields)
    {
        var now = time.GetUtcNow();
        var minute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        var key = new TallyKey(minute, action, Cut(actor), Cut(target), Cut(reason));
        lock (_lock)
        {
            if (!_tallies.TryGetValue(key, out var tally))
            {
                if (_tallies.Count(k => k.Key.Minute == minute) >= MaxKeysPerMinute)
                {
                    key = key with { Actor = OtherSources, Target = OtherSources, Reason = "more sources than the server tells apart in a minute" };
                }

                tally = _tallies.TryGetValue(key, out var other)
                    ? other
                    : _tallies[key] = new Tally(now, fields.ToDictionary(f => Cut(f.Key), f => Cut(f.Value)));
            }

            tally.Count++;
            tally.Last = now;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var nextMinute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(1);
            try
            {
                await Task.Delay(nextMinute - now, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await FlushAsync(nextMinute, stoppingToken).ConfigureAwait(false);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await FlushAsync(DateTimeOffset.MaxValue, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the tallies of the minutes before <paramref name="before"/> to the audit log, one entry each.</summary>
    internal async Task FlushAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        List<KeyValuePair<TallyKey, Tally>> due;
        lock (_lock)
        {
            due = [.. _tallies.Where(t => t.Key.Minute < before).OrderBy(t => t.Value.First)];
            if (due.Count == 0)
            {
                return;
            }

            _tallies = _tallies.Where(t => t.Key.Minute >= before).ToDictionary();
        }

        foreach (var (key, tally) in due)
        {
            var fields = new Dictionary<string, string>(tally.Fields)
            {
                ["count"] = tally.Count.ToString(CultureInfo.InvariantCulture),
                ["first"] = tally.First.ToString("O", CultureInfo.InvariantCulture),
                ["last"] = tally.Last.ToString("O", CultureInfo.InvariantCulture),
            };
            try
            {
                await store.Store.Audit.AppendAsync(new NewAuditEntry
                {
                    Actor = key.Actor,
                    Action = key.Action,
                    Target = key.Target,
                    Reason = tally.Count == 1 ? key.Reason : $"{key.Reason} ({tally.Count.ToString(CultureInfo.InvariantCulture)} times)",
                    AfterJson = JsonSerializer.Serialize(fields, RunJsonContext.Default.DictionaryStringString),
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                AuditServerLog.RejectedFlushFailed(logger, tally.Count, exception);
            }
        }
    }

    private static string Cut(string value) => value.Length <= MaxFieldLength ? value : value[..MaxFieldLength];

    private readonly record struct TallyKey(DateTimeOffset Minute, string Action, string Actor, string Target, string Reason);

    private sealed class Tally(DateTimeOffset first, Dictionary<string, string> fields)
    {
        public DateTimeOffset First { get; } = first;

        public DateTimeOffset Last { get; set; } = first;

        public long Count { get; set; }

        public Dictionary<string, string> Fields { get; } = fields;
    }
}
