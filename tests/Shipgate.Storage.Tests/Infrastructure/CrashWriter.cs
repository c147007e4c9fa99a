using System.Diagnostics;
using Shipgate.Storage.Runs;

namespace Shipgate.Storage.Tests.Infrastructure;

/// <summary>
/// A writer to kill: when the test executable is started with <c>SHIPGATE_TEST_CRASH_WRITER</c> set
/// (to a data directory, and optionally <c>SHIPGATE_TEST_CRASH_DB</c> to a connection string), its
/// entry point (<see cref="Program"/>) does not run tests. It writes runs to that store forever, printing each run's id only after the
/// store returned, until it is killed with SIGKILL. The test then checks that every printed run is
/// there: what the store reported as done survived the kill.
/// </summary>
internal static class CrashWriter
{
    private const string DataVariable = "SHIPGATE_TEST_CRASH_WRITER";
    private const string ConnectionVariable = "SHIPGATE_TEST_CRASH_DB";

    /// <summary>How to start the writer: this very executable with the variables set.</summary>
    public static ProcessStartInfo StartInfo(string dataDirectory, string? connectionString)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment[DataVariable] = dataDirectory;
        if (connectionString is not null)
        {
            start.Environment[ConnectionVariable] = connectionString;
        }

        return start;
    }

    /// <summary>True when this process was started as the writer to kill.</summary>
    public static bool IsRequested => Environment.GetEnvironmentVariable(DataVariable) is { Length: > 0 };

    public static int Run()
    {
        WriteUntilKilledAsync(Environment.GetEnvironmentVariable(DataVariable)!, Environment.GetEnvironmentVariable(ConnectionVariable)).GetAwaiter().GetResult();
        return 0;
    }

    private static async Task WriteUntilKilledAsync(string dataDirectory, string? connectionString)
    {
        await using var store = await ShipgateStore.OpenAsync(new StoreOptions { DataDirectory = dataDirectory, ConnectionString = connectionString });
        var project = await store.Projects.GetByNameAsync("crash") ?? throw new InvalidOperationException("The test creates the project first.");
        var output = Console.Out;
        while (true)
        {
            var run = await store.Runs.CreateRunAsync(new NewRun { ProjectId = project.Id, WorkflowPath = "ci.yml", WorkflowName = "CI", Event = "push", Ref = "refs/heads/main", Sha = "abc", Actor = "crash" });
            await store.Runs.TryTransitionRunAsync(run.Id, RunStatus.Queued, RunStatus.InProgress);
            output.WriteLine(run.Id);
            output.Flush();
        }
    }
}
