using System.Diagnostics;
using Shipgate.Storage.Runs;
using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Storage.Tests.Database;

/// <summary>Principle 4: what the store reported as committed survives a SIGKILL of the process at any moment.</summary>
public abstract class KillDurabilityTests(StoreTarget target) : StoreTests(target)
{
    [Fact]
    public async Task Writer_KilledMidStream_EveryReportedChangeSurvives()
    {
        var project = await NewProjectAsync("crash");
        var reported = new List<long>();
        using var writer = Process.Start(CrashWriter.StartInfo(Target.DataDirectory, await Target.ConnectionStringAsync(Cancel)))!;
        try
        {
            while (reported.Count < 40 && await writer.StandardOutput.ReadLineAsync(Cancel).AsTask().DefaultTimeout() is { } line)
            {
                reported.Add(long.Parse(line, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        finally
        {
            writer.Kill();
            await writer.WaitForExitAsync(Cancel).DefaultTimeout();
        }

        Assert.True(reported.Count == 40, $"The writer stopped early: {await writer.StandardError.ReadToEndAsync(Cancel)}");
        await Store.DisposeAsync();
        await using var reopened = await Target.OpenAsync(Time, Cancel).DefaultTimeout();
        var runs = (await reopened.Runs.ListRunsAsync(new RunQuery { ProjectId = project.Id, Limit = 1000 }, Cancel).DefaultTimeout()).ToDictionary(r => r.Id);
        Assert.All(reported, id => Assert.Equal(RunStatus.InProgress, runs[id].Status));
    }

    public sealed class OnSqlite() : KillDurabilityTests(new SqliteStoreTarget());

    public sealed class OnPostgres(PostgresServer server) : KillDurabilityTests(new PostgresStoreTarget(server));
}
