using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Shipgate.Server.Audit;
using Shipgate.Server.Hosting;
using Shipgate.Server.Tests.Infrastructure;
using Shipgate.Storage.Audit;

namespace Shipgate.Server.Tests.Audit;

/// <summary>The tallies of refused requests on a real store, with the clock in the test's hand: written when their minute ends, bounded in number.</summary>
public sealed class RejectedRequestsTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("shipgate-rejected-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 10, 0, 10, TimeSpan.Zero));
    private ServerStore _store = null!;
    private RejectedRequests _rejected = null!;

    public async ValueTask InitializeAsync()
    {
        _store = new ServerStore(Options.Create(new ServerOptions { DataDirectory = _data }), _time, NullLoggerFactory.Instance);
        await _store.OpenAsync(Ct).DefaultTimeout();
        _rejected = new RejectedRequests(_store, _time, NullLogger<RejectedRequests>.Instance);
        await _rejected.StartAsync(Ct).DefaultTimeout();
    }

    public async ValueTask DisposeAsync()
    {
        await _rejected.StopAsync(CancellationToken.None).DefaultTimeout();
        _rejected.Dispose();
        await _store.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Record_MinuteEnds_OneEntryPerSourceWithItsCount()
    {
        for (var i = 0; i < 30; i++)
        {
            Record("webhook:203.0.113.7");
        }

        Record("webhook:198.51.100.1");
        var before = await _store.Store.Audit.ListAsync(cancellationToken: Ct).DefaultTimeout();
        // The background loop may not have set its timer yet (ExecuteAsync starts on its own thread): a minute more each try.
        var entries = await EventuallyAsync(
            async () =>
            {
                _time.Advance(TimeSpan.FromMinutes(1));
                return await _store.Store.Audit.ListAsync(cancellationToken: Ct) is { Count: 2 } all ? all : null;
            },
            "the minute's two summaries");

        Assert.Empty(before);
        Assert.Equal(
            [("webhook:203.0.113.7", "30", "the signature does not match (30 times)"), ("webhook:198.51.100.1", "1", "the signature does not match")],
            entries.Select(e => (e.Actor, Field(e, "count"), e.Reason)));
        Assert.All(entries, e => Assert.Equal(("webhook.rejected", "project/web"), (e.Action, e.Target)));
    }

    [Fact]
    public async Task Record_MoreSourcesThanAMinuteTellsApart_TheRestCountedTogether()
    {
        for (var i = 0; i < RejectedRequests.MaxKeysPerMinute + 5; i++)
        {
            Record($"webhook:10.0.{i / 256}.{i % 256}");
        }

        await _rejected.FlushAsync(DateTimeOffset.MaxValue, Ct).DefaultTimeout();
        var entries = await _store.Store.Audit.ListAsync(limit: 2000, cancellationToken: Ct).DefaultTimeout();

        Assert.Equal(RejectedRequests.MaxKeysPerMinute + 1, entries.Count);
        Assert.Equal("5", Field(entries.Single(e => e.Actor == "*"), "count"));
    }

    private void Record(string actor) =>
        _rejected.Record("webhook.rejected", actor, "project/web", "the signature does not match", new Dictionary<string, string> { ["event"] = "push", ["delivery"] = new string('d', 1000) });

    private static string Field(AuditEntry entry, string name) => JsonDocument.Parse(entry.AfterJson!).RootElement.GetProperty(name).GetString()!;
}
