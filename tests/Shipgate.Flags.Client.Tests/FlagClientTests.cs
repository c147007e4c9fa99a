using Microsoft.Extensions.Time.Testing;
using Shipgate.Flags.Client.Tests.Infrastructure;
using Shipgate.Server.Tests.Infrastructure;
using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Flags.Client.Tests;

public sealed class FlagClientTests
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingLogger _log = new();

    [Fact]
    public async Task FirstFetch_DocumentServed_EvaluatesAsTheLibraryDoes()
    {
        await using var server = await StandInFlagServer.StartAsync(TestDocuments.Document());
        await using var client = Client(server);
        await client.WaitUntilReadyAsync(TestTimeouts.Ct).DefaultTimeout();

        Assert.Equal(StandInFlagServer.ETagOf(server.Document), client.ETag);
        var library = FlagConfiguration.Parse(server.Document).Configuration!;
        var context = new FlagContext();
        for (var i = 0; i < 500; i++)
        {
            context.Clear();
            context.TargetingKey = i == 0 ? "alice" : $"user-{i}";
            context.Set("plan", i % 7 == 0 ? "free" : "pro");
            Assert.Equal(library.EvaluateBoolean("checkout", false, context), client.EvaluateBoolean("checkout", false, context));
            Assert.Equal(library.EvaluateString("banner", "none", context), client.EvaluateString("banner", "none", context));
        }

        Assert.Equal(FlagErrorCode.FlagNotFound, client.EvaluateNumber("missing", 4, context).ErrorCode);
        Assert.Equal(FlagErrorCode.TypeMismatch, client.EvaluateNumber("checkout", 4, context).ErrorCode);
    }

    [Fact]
    public async Task Evaluate_ReadyAndRecordingServedFlags_AllocatesNothing()
    {
        await using var server = await StandInFlagServer.StartAsync(TestDocuments.Document());
        await using var client = Client(server);
        await client.WaitUntilReadyAsync(TestTimeouts.Ct).DefaultTimeout();
        var contexts = Enumerable.Range(0, 100).Select(i => new FlagContext { TargetingKey = $"user-{i}" }.Set("plan", "pro")).ToArray();
        var served = FlagsServed.Begin();
        Evaluate();

        var before = GC.GetAllocatedBytesForCurrentThread();
        Evaluate();

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(2, served.Count);

        void Evaluate()
        {
            foreach (var context in contexts)
            {
                client.EvaluateBoolean("checkout", false, context);
                client.EvaluateString("banner", "", context);
            }
        }
    }

    [Fact]
    public async Task Evaluate_BeforeTheFirstDocument_GivesTheDefaultWithGeneral()
    {
        await using var server = await StandInFlagServer.StartAsync(TestDocuments.Document());
        server.Available = false;
        await using var client = Client(server);
        await TestDocuments.UntilAsync(() => _log.Entries.Any(e => e.EventId == 6001), "the failed first fetch logged");

        var result = client.EvaluateBoolean("checkout", true, new FlagContext { TargetingKey = "alice" });

        Assert.Equal(new FlagEvaluation<bool>(true, null, FlagReason.Error, FlagErrorCode.General, result.ErrorMessage), result);
        Assert.Contains("not arrived", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("503", _log.Entries.Single(e => e.EventId == 6001).Message, StringComparison.Ordinal);

        server.Available = true;
        _time.Advance(Poll);
        await client.WaitUntilReadyAsync(TestTimeouts.Ct).DefaultTimeout();
        Assert.Equal(FlagReason.TargetingMatch, client.EvaluateBoolean("checkout", false, new FlagContext { TargetingKey = "alice" }).Reason);
    }

    [Fact]
    public async Task Poll_DocumentUnchanged_Gets304AndKeepsTheConfiguration()
    {
        await using var server = await StandInFlagServer.StartAsync(TestDocuments.Document());
        await using var client = Client(server);
        await client.WaitUntilReadyAsync(TestTimeouts.Ct).DefaultTimeout();
        var first = client.Configuration;

        _time.Advance(Poll);
        await TestDocuments.UntilAsync(() => server.Answers.Count == 2, "the second poll");

        Assert.Equal([200, 304], server.Answers);
        Assert.Equal([null, StandInFlagServer.ETagOf(server.Document)], server.IfNoneMatch);
        Assert.Same(first, client.Configuration);
    }

    [Fact]
    public async Task Poll_DocumentChanged_SwapsTheConfiguration()
    {
        await using var server = await StandInFlagServer.StartAsync(TestDocuments.Document(checkoutPercent: 0));
        await using var client = Client(server);
        await client.WaitUntilReadyAsync(TestTimeouts.Ct).DefaultTimeout();
        var bob = new FlagContext { TargetingKey = "bob" };
        Assert.False(client.EvaluateBoolean("checkout", true, bob).Value);

        server.Document = TestDocuments.Document(checkoutPercent: 100);
        _time.Advance(Poll);
        await TestDocuments.UntilAsync(() => client.ETag == StandInFlagServer.ETagOf(server.Document), "the new document");

        Assert.Equal(new FlagEvaluation<bool>(true, "on", FlagReason.Split), client.EvaluateBoolean("checkout", false, bob));
    }

    [Fact]
    public async Task Poll_DocumentDoesNotParse_RejectedAndTheLastGoodKept()
    {
        await using var server = await StandInFlagServer.StartAsync(TestDocuments.Document(checkoutPercent: 100));
        await using var client = Client(server);
        await client.WaitUntilReadyAsync(TestTimeouts.Ct).DefaultTimeout();
        var good = client.Configuration;
        var goodETag = client.ETag;

        server.Document = TestDocuments.BadDocument;
        _time.Advance(Poll);
        await TestDocuments.UntilAsync(() => _log.Entries.Any(e => e.EventId == 6002), "the rejection logged");

        Assert.Same(good, client.Configuration);
        Assert.Equal(goodETag, client.ETag);
        Assert.True(client.EvaluateBoolean("checkout", false, new FlagContext { TargetingKey = "bob" }).Value);
        Assert.Contains("percentage is 120", _log.Entries.Single(e => e.EventId == 6002).Message, StringComparison.Ordinal);

        // The rejected document is not fetched and rejected again every poll: the server answers 304 until it changes.
        _time.Advance(Poll);
        await TestDocuments.UntilAsync(() => server.Answers.Count == 3, "the third poll");
        Assert.Equal(304, server.Answers.Last());
    }

    [Fact]
    public async Task FirstDocument_DoesNotParse_GivesTheDefaultWithParseError()
    {
        await using var server = await StandInFlagServer.StartAsync(TestDocuments.BadDocument);
        await using var client = Client(server);
        await TestDocuments.UntilAsync(() => _log.Entries.Any(e => e.EventId == 6002), "the rejection logged");

        var result = client.EvaluateBoolean("checkout", true);

        Assert.Equal((true, FlagReason.Error, FlagErrorCode.ParseError), (result.Value, result.Reason, result.ErrorCode));
        Assert.Null(client.Configuration);
    }

    [Fact]
    public async Task Poll_ServerDown_KeepsTheLastDocumentAndLogs()
    {
        var server = await StandInFlagServer.StartAsync(TestDocuments.Document(checkoutPercent: 100));
        await using var client = Client(server);
        await client.WaitUntilReadyAsync(TestTimeouts.Ct).DefaultTimeout();
        var good = client.Configuration;
        await server.DisposeAsync();

        _time.Advance(Poll);
        await TestDocuments.UntilAsync(() => _log.Entries.Any(e => e.EventId == 6001), "the failed poll logged");

        Assert.Same(good, client.Configuration);
        Assert.True(client.EvaluateBoolean("checkout", false, new FlagContext { TargetingKey = "bob" }).Value);
    }

    [Fact]
    public async Task Fetch_KeyRefused_LogsTheServersSentence()
    {
        await using var server = await StandInFlagServer.StartAsync(TestDocuments.Document());
        await using var client = Client(server, key: "sgk_other_environment");
        await TestDocuments.UntilAsync(() => _log.Entries.Any(e => e.EventId == 6001), "the refusal logged");

        Assert.Contains("401 Unauthorized: The key is not a client key of any environment.",
            _log.Entries.Single(e => e.EventId == 6001).Message, StringComparison.Ordinal);
        Assert.Equal(FlagErrorCode.General, client.EvaluateBoolean("checkout", false).ErrorCode);
    }

    [Fact]
    public async Task Dispose_StopsPolling()
    {
        await using var server = await StandInFlagServer.StartAsync(TestDocuments.Document());
        var client = Client(server);
        await client.WaitUntilReadyAsync(TestTimeouts.Ct).DefaultTimeout();
        await TestDocuments.UntilAsync(() => server.Answers.Count == 1, "the first answer recorded");

        await client.DisposeAsync().AsTask().DefaultTimeout();
        _time.Advance(Poll * 10);

        Assert.Single(server.Answers);
        Assert.True(client.EvaluateBoolean("checkout", false, new FlagContext { TargetingKey = "alice" }).Value);
    }

    [Fact]
    public void Construct_OptionsMissing_SaysWhatToSet()
    {
        var error = Assert.Throws<ArgumentException>(() => new FlagClient(new FlagClientOptions { PollInterval = TimeSpan.FromMilliseconds(1) }));

        Assert.StartsWith(
            "The flags URL must be an absolute http or https URL (set SHIPGATE_FLAGS_URL). The flags key is missing (set SHIPGATE_FLAGS_KEY). "
            + "The poll interval is 1 ms; it must be at least 100 ms.",
            error.Message,
            StringComparison.Ordinal);
    }

    private FlagClient Client(StandInFlagServer server, string key = StandInFlagServer.ClientKey) => new(new FlagClientOptions
    {
        Url = server.Url,
        Key = key,
        PollInterval = Poll,
        TimeProvider = _time,
        Logger = _log,
    });
}
