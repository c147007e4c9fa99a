using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Runs;

public sealed class RunsTests
{
    [Fact]
    public async Task Dispatch_WorkflowWithInput_RunsToSuccessWithJobsAndSteps()
    {
        using var repository = TestRepository.WithCiWorkflow();
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);

        var queued = await server.DispatchAsync("web", "ci.yml", new Dictionary<string, string> { ["greeting"] = "bonjour" });
        var run = await server.WaitForCompletedRunAsync(queued.Id);
        var detail = await server.GetRunAsync(queued.Id);

        Assert.Equal("success", run.Conclusion);
        Assert.Equal("workflow_dispatch", run.Event);
        Assert.Equal("admin", run.Actor);
        var job = Assert.Single(detail.Jobs);
        Assert.Equal("success", job.Conclusion);
        Assert.Equal(["Say", "Run echo \"line two\""], job.Steps.Select(s => s.Name));
    }

    [Fact]
    public async Task Logs_CompletedRun_StreamsTheLinesAndEnds()
    {
        using var repository = TestRepository.WithCiWorkflow();
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var queued = await server.DispatchAsync("web", "ci.yml", new Dictionary<string, string> { ["greeting"] = "bonjour" });
        await server.WaitForCompletedRunAsync(queued.Id);

        var events = await server.ReadToEndAsync($"/api/v1/runs/{queued.Id}/logs?job=build");

        var lines = events.Where(e => e.Event == "output").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("line").GetString()).ToList();
        Assert.Contains("line one bonjour", lines);
        Assert.Contains("line two", lines);
        Assert.Equal("end", events[^1].Event);
    }

    [Fact]
    public async Task Logs_LastEventId_ResumesAtTheNextLine()
    {
        using var repository = new TestRepository();
        repository.Write(".github/workflows/count.yml", "on: workflow_dispatch\njobs:\n  count:\n    runs-on: ubuntu-latest\n    steps:\n      - run: seq 1 3000\n");
        repository.Commit("count");
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var queued = await server.DispatchAsync("web", "count.yml");

        var all = await server.ReadToEndAsync($"/api/v1/runs/{queued.Id}/logs");
        var lines = all.Where(e => e.Event == "output").ToList();
        var resumed = await server.ReadToEndAsync($"/api/v1/runs/{queued.Id}/logs", lastEventId: lines[999].Id);

        Assert.Equal(Enumerable.Range(1, 3000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), lines.Select(Line));
        var rest = resumed.Where(e => e.Event == "output").Select(Line).ToList();
        Assert.Equal(2000, rest.Count);
        Assert.Equal("1001", rest[0]);
        Assert.DoesNotContain(resumed, e => e.Event == "step");
    }

    [Fact]
    public async Task Logs_LinesLongerThanTheReadBufferAndNotUtf8_StreamedWhole()
    {
        using var repository = new TestRepository();
        repository.Write(".github/workflows/long.yml", """
            on: workflow_dispatch
            jobs:
              long:
                runs-on: ubuntu-latest
                steps:
                  - run: |
                      for i in 1 2 3; do head -c 60000 /dev/zero | tr '\0' "$i"; echo; done
                      printf 'caf\xc3\xa9 "quoted"\r\n'
                      printf 'bad \xff byte\n'
                      printf 'last line without a newline'
            """);
        repository.Commit("long");
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var queued = await server.DispatchAsync("web", "long.yml");
        await server.WaitForCompletedRunAsync(queued.Id);

        var events = await server.ReadToEndAsync($"/api/v1/runs/{queued.Id}/logs");

        var lines = events.Where(e => e.Event == "output").Select(Line).ToList();
        Assert.Equal([new string('1', 60_000), new string('2', 60_000), new string('3', 60_000), "caf\u00e9 \"quoted\"", "bad \uFFFD byte", "last line without a newline"], lines);
        Assert.All(events.Where(e => e.Event == "output"), e => Assert.True(JsonDocument.Parse(e.Data).RootElement.TryGetProperty("at", out _)));
    }

    [Fact]
    public async Task Events_LastEventId_ReplaysOnlyTheEventsAfterIt()
    {
        using var repository = TestRepository.WithCiWorkflow();
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var queued = await server.DispatchAsync("web", "ci.yml");
        await server.WaitForCompletedRunAsync(queued.Id);
        var all = await server.ReadToEndAsync($"/api/v1/runs/{queued.Id}/events");

        var resumed = await server.ReadToEndAsync($"/api/v1/runs/{queued.Id}/events", lastEventId: "3");

        var allIds = all.Where(e => e.Sequence is not null).Select(e => e.Sequence!.Value).ToList();
        Assert.Equal(Enumerable.Range(1, allIds.Count).Select(i => (long)i), allIds);
        Assert.Equal(allIds.Skip(3), resumed.Where(e => e.Sequence is not null).Select(e => e.Sequence!.Value));
        Assert.Equal("run.started", all[0].Event);
        Assert.Equal("run.finished", all[^2].Event);
        var first = JsonSerializer.Deserialize(resumed[0].Data, ApiJsonContext.Default.RunEventResponse)!;
        Assert.Equal(4, first.Sequence);
    }

    [Fact]
    public async Task Events_FollowedFromTheStart_SeeEveryEventInOrderToTheEnd()
    {
        using var repository = TestRepository.WithCiWorkflow();
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var queued = await server.DispatchAsync("web", "ci.yml");

        var events = await server.ReadToEndAsync($"/api/v1/runs/{queued.Id}/events");

        var ids = events.Where(e => e.Sequence is not null).Select(e => e.Sequence!.Value).ToList();
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(i => (long)i), ids);
        Assert.Equal("run.finished", events[^2].Event);
        Assert.Contains("\"conclusion\":\"success\"", events[^1].Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProjectRemove_WhileItsRunIsInProgress_RunStopsAndTheServerGoesOn()
    {
        using var repository = new TestRepository();
        repository.Write(".github/workflows/slow.yml", "on: workflow_dispatch\njobs:\n  slow:\n    runs-on: ubuntu-latest\n    steps:\n      - run: sleep 30\n");
        repository.Commit("slow");
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var queued = await server.DispatchAsync("web", "slow.yml");
        await EventuallyAsync(async () => (await server.GetRunAsync(queued.Id)).Jobs.FirstOrDefault(j => j.Steps.Any(s => s.Status == "in_progress")), "the step to start");
        using var admin = server.AdminClient();

        using var removed = await admin.DeleteAsync("/api/v1/projects/web", Ct).DefaultTimeout();
        using var run = await admin.GetAsync($"/api/v1/runs/{queued.Id}", Ct).DefaultTimeout();
        await server.AddProjectAsync("web", repository.Root);
        var again = await server.DispatchAsync("web", "slow.yml");

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, run.StatusCode);
        Assert.NotEqual(queued.Id, again.Id);
    }

    [Theory]
    [InlineData("viewer", HttpStatusCode.Forbidden)]
    [InlineData("developer", HttpStatusCode.Created)]
    [InlineData("approver", HttpStatusCode.Created)]
    public async Task Dispatch_EachRole_DeveloperOrAboveMay(string role, HttpStatusCode expected)
    {
        using var repository = TestRepository.WithCiWorkflow();
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        using var client = server.ClientWith(await server.CreateUserAsync("someone", role));

        using var response = await client.PostAsJsonAsync("/api/v1/projects/web/dispatches", new DispatchRequest("ci.yml", null, null), ApiJsonContext.Default.DispatchRequest, Ct).DefaultTimeout();

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("nope.yml", null, HttpStatusCode.NotFound, "There is no workflow 'nope.yml'")]
    [InlineData("ci.yml", "unknown", HttpStatusCode.UnprocessableEntity, "has no input 'unknown'")]
    public async Task Dispatch_BadInput_ClearErrorAndNoRun(string workflow, string? input, HttpStatusCode expected, string message)
    {
        using var repository = TestRepository.WithCiWorkflow();
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        using var admin = server.AdminClient();
        var inputs = input is null ? null : new Dictionary<string, string> { [input] = "x" };

        using var response = await admin.PostAsJsonAsync("/api/v1/projects/web/dispatches", new DispatchRequest(workflow, null, inputs), ApiJsonContext.Default.DispatchRequest, Ct).DefaultTimeout();
        var problem = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ApiProblem, Ct).DefaultTimeout();

        Assert.Equal(expected, response.StatusCode);
        Assert.Contains(message, problem!.Detail, StringComparison.Ordinal);
        Assert.Empty(await server.ListRunsAsync());
    }

    [Fact]
    public async Task Run_InvalidWorkflowAtCommit_FailsWithPositionedError()
    {
        using var repository = TestRepository.WithCiWorkflow();
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        repository.Write(".github/workflows/broken.yml", "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ \n");
        repository.Write("src/app.txt", "2");
        var sha = repository.Commit("broken workflow");

        var watcher = server.Service<Shipgate.Server.Triggers.RepositoryWatcher>();
        await watcher.PollAsync(Ct).DefaultTimeout();
        var broken = await EventuallyAsync(async () => (await server.ListRunsAsync()).FirstOrDefault(r => r.WorkflowPath.EndsWith("broken.yml", StringComparison.Ordinal)), "the broken workflow's run");
        var run = await server.WaitForCompletedRunAsync(broken.Id);

        Assert.Equal(sha, run.Sha);
        Assert.Equal("failure", run.Conclusion);
        Assert.StartsWith(".github/workflows/broken.yml:", run.Reason, StringComparison.Ordinal);
    }

    private static string? Line(Shipgate.Server.Client.ServerSentEvent e) => JsonDocument.Parse(e.Data).RootElement.GetProperty("line").GetString();
}
