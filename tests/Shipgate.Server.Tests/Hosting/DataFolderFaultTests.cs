using System.Diagnostics;
using System.Net;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Hosting;

/// <summary>
/// Issue #7, finding 8: the data folder turns read-only in the middle of a run of the real <c>shipgate up</c>.
/// Root ignores file modes, so as root the folder is covered by a read-only bind mount of itself (what the OS
/// then refuses, it refuses to root too); as another user its mode is taken away.
/// </summary>
public sealed class DataFolderFaultTests
{
    [Fact]
    public async Task RunsFolderTurnsReadOnlyMidRun_EveryStepAndJobEndsFinalAndHealthzNamesTheFault()
    {
        var marks = StepMarks.Create("shipgate-marks-").FullName;
        using var repository = new TestRepository();
        repository.Write(".github/workflows/fault.yml", $$$"""
            on: workflow_dispatch
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - run: echo started > {{{marks}}}/started; until [ -e {{{marks}}}/go ]; do sleep 0.1; done
                  - run: echo second
              notify:
                needs: build
                if: always()
                runs-on: ubuntu-latest
                steps:
                  - run: echo notify
            """);
        repository.Commit("fault");
        await using var server = await ShipgateUp.StartAsync();
        Assert.Equal(0, (await server.RunAsync(["project", "add", "web", "--repo", repository.Root])).ExitCode);
        var run = (await server.RunAsync(["dispatch", "web", "fault.yml"])).LastLine;
        await EventuallyAsync(() => Task.FromResult(File.Exists(Path.Combine(marks, "started")) ? "started" : null), "the first step to start");
        using var health = new HttpClient { BaseAddress = server.Url, Timeout = TestTimeouts.Default };

        RunDetailResponse done;
        string fault;
        HttpStatusCode faultStatus;
        await using (await ReadOnlyFolder.CreateAsync(Path.Combine(server.DataDirectory, "runs")))
        {
            await File.WriteAllTextAsync(Path.Combine(marks, "go"), "", Ct).DefaultTimeout();
            done = await EventuallyAsync(
                async () => await server.JsonAsync(["runs", "show", run], ApiJsonContext.Default.RunDetailResponse) is { Run.Status: "completed" } shown ? shown : null,
                "the run to complete",
                TimeSpan.FromSeconds(90));
            using var response = await health.GetAsync("/healthz", Ct).DefaultTimeout();
            (faultStatus, fault) = (response.StatusCode, await response.Content.ReadAsStringAsync(Ct).DefaultTimeout());
        }

        using var healed = await health.GetAsync("/healthz", Ct).DefaultTimeout();
        Directory.Delete(marks, recursive: true);

        Assert.Equal("failure", done.Run.Conclusion);
        Assert.All(done.Jobs, j => Assert.Equal("completed", j.Status));
        Assert.All(done.Jobs.SelectMany(j => j.Steps), s => Assert.Equal("completed", s.Status));
        var build = done.Jobs.Single(j => j.Key == "build");
        Assert.Equal(["success", "failure"], build.Steps.Select(s => s.Conclusion));
        Assert.Contains("cannot be written", build.Steps[1].Reason, StringComparison.Ordinal);
        var notify = done.Jobs.Single(j => j.Key == "notify");
        Assert.Equal("failure", notify.Conclusion);
        Assert.Contains($"The data folder {server.DataDirectory} cannot be written", notify.Reason, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, faultStatus);
        Assert.StartsWith($"The data folder {Path.Combine(server.DataDirectory, "runs")} cannot be written: ", fault, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, healed.StatusCode);
    }

    /// <summary>A folder nobody can write while this lives: a read-only bind mount of itself as root, its mode otherwise.</summary>
    private sealed class ReadOnlyFolder : IAsyncDisposable
    {
        private readonly string _path;
        private readonly bool _mounted;

        private ReadOnlyFolder(string path, bool mounted)
        {
            _path = path;
            _mounted = mounted;
        }

        public static async Task<ReadOnlyFolder> CreateAsync(string path)
        {
            if (Environment.UserName != "root")
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
                return new ReadOnlyFolder(path, mounted: false);
            }

            await RunAsync("mount", "--bind", path, path);
            await RunAsync("mount", "-o", "remount,bind,ro", path);
            return new ReadOnlyFolder(path, mounted: true);
        }

        public async ValueTask DisposeAsync()
        {
            if (_mounted)
            {
                await RunAsync("umount", _path);
            }
            else
            {
                File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        private static async Task RunAsync(string command, params string[] arguments)
        {
            using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
            var error = await process.StandardError.ReadToEndAsync(Ct).DefaultTimeout();
            await process.WaitForExitAsync(Ct).DefaultTimeout();
            Assert.True(
                process.ExitCode == 0,
                $"{command} {string.Join(' ', arguments)} failed ({error.Trim()}): as root this test makes a folder read-only with a bind mount, which needs CAP_SYS_ADMIN (a privileged container); or run the tests as another user.");
        }
    }
}
