using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Hosting;

/// <summary>The real <c>shipgate up</c> process killed with SIGKILL mid-run, then started again on the same data.</summary>
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task KillDashNine_DuringARun_RunEndsAsRunnerLostAndTheQueuedRunStillRuns()
    {
        using var repository = new TestRepository();
        repository.Write(".github/workflows/slow.yml", "on: workflow_dispatch\njobs:\n  slow:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo started && sleep 20\n");
        repository.Write(".github/workflows/quick.yml", "on: workflow_dispatch\njobs:\n  quick:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo quick\n");
        repository.Commit("workflows");
        var data = Directory.CreateTempSubdirectory("shipgate-crash-").FullName;
        try
        {
            var port = Ports.Free();
            long slow;
            long quick;
            using (var first = await StartUpAsync(data, port))
            {
                using var client = Client(port, data);
                (await client.PostAsJsonAsync("/api/v1/projects", new ProjectCreateRequest("web", repository.Root, null), ApiJsonContext.Default.ProjectCreateRequest, Ct).DefaultTimeout()).EnsureSuccessStatusCode();
                slow = await DispatchAsync(client, "slow.yml");
                await EventuallyAsync(async () => (await GetRunAsync(client, slow)).Jobs.FirstOrDefault(j => j.Steps.Any(s => s.Status == "in_progress")), "the slow step to start");
                quick = await DispatchAsync(client, "quick.yml");
                first.Kill();
                await first.WaitForExitAsync(Ct).DefaultTimeout();
            }

            using var second = await StartUpAsync(data, port);
            using var again = Client(port, data);
            var lost = await EventuallyAsync(async () => (await GetRunAsync(again, slow)).Run is { Status: "completed" } run ? run : null, "the lost run to end", TimeSpan.FromSeconds(90));
            var ran = await EventuallyAsync(async () => (await GetRunAsync(again, quick)).Run is { Status: "completed" } run ? run : null, "the queued run to run", TimeSpan.FromSeconds(90));
            second.Kill();

            Assert.Equal("failure", lost.Conclusion);
            Assert.Equal("runner lost", lost.Reason);
            Assert.Equal("success", ran.Conclusion);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<Process> StartUpAsync(string data, int port)
    {
        var start = new ProcessStartInfo(ShipgateProcess.Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "up", "--data", data, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--edge-port", "0" })
        {
            start.ArgumentList.Add(argument);
        }

        // One run at a time, so the second dispatch stays queued while the first runs.
        start.Environment["Shipgate__MaxConcurrentRuns"] = "1";
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync(Ct);
        _ = process.StandardError.ReadToEndAsync(Ct);
        using var health = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
        await EventuallyAsync(async () =>
        {
            try
            {
                using var response = await health.GetAsync("/healthz", Ct);
                return response.StatusCode == HttpStatusCode.OK ? "ready" : null;
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }, "shipgate up to answer /healthz", TimeSpan.FromSeconds(60));
        return process;
    }

    private static HttpClient Client(int port, string data)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TestTimeouts.Default };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(data, "admin.token")).Trim());
        return client;
    }

    private static async Task<long> DispatchAsync(HttpClient client, string workflow)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/projects/web/dispatches", new DispatchRequest(workflow, null, null), ApiJsonContext.Default.DispatchRequest, Ct).DefaultTimeout();
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.DispatchResponse, Ct).DefaultTimeout())!.Run.Id;
    }

    private static async Task<RunDetailResponse> GetRunAsync(HttpClient client, long id) =>
        (await client.GetFromJsonAsync($"/api/v1/runs/{id}", ApiJsonContext.Default.RunDetailResponse, Ct).DefaultTimeout())!;
}
