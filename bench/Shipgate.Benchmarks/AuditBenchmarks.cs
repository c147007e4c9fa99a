using BenchmarkDotNet.Attributes;
using Shipgate.Storage;
using Shipgate.Storage.Audit;

namespace Shipgate.Benchmarks;

/// <summary>
/// Appending to the audit log on SQLite (<c>synchronous=FULL</c>), each append committed before it returns:
/// <c>Append</c> from one caller, <c>ConcurrentAppends</c> from 64 callers at once (reported per append). Since
/// ADR 0014 each commit that appended entries also appends one keyed line to <c>DATA/audit.checkpoint</c> and
/// syncs it; a group commit shares that line and that sync.
/// Run: <c>dotnet run -c Release --project bench/Shipgate.Benchmarks -- --filter '*AuditBenchmarks*' --job short</c>.
/// </summary>
public class AuditBenchmarks
{
    private const int Callers = 64;
    private const int AppendsPerCaller = 10;

    private string _dataDirectory = null!;
    private ShipgateStore _store = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _dataDirectory = Directory.CreateTempSubdirectory("shipgate-bench-audit-").FullName;
        _store = await ShipgateStore.OpenAsync(new StoreOptions { DataDirectory = _dataDirectory });
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Benchmark]
    public Task Append() => _store.Audit.AppendAsync(Entry(0));

    [Benchmark(OperationsPerInvoke = Callers * AppendsPerCaller)]
    public Task ConcurrentAppends() => Task.WhenAll(Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
    {
        for (var i = 0; i < AppendsPerCaller; i++)
        {
            await _store.Audit.AppendAsync(Entry(caller));
        }
    })));

    private static NewAuditEntry Entry(int caller) => new() { Actor = "bench", Action = "secret.set", Target = $"project/bench-{caller}", AfterJson = """{"name":"API_KEY"}""" };
}
