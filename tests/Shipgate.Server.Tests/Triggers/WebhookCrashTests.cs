using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Triggers;

/// <summary>
/// The real <c>shipgate up</c> killed with SIGKILL while it handles a push webhook (fetching the repository,
/// checking the commit is on the ref, or after the run was queued and started), then started again on the same
/// data: GitHub's redelivery (the same delivery id and body) creates exactly one run for the push.
/// </summary>
/// <remarks>
/// The server is paused at a point without a hook in Shipgate: <c>git</c> on its PATH is a script that, for the
/// named git command, leaves a mark and waits (until its server is gone) before running the real git.
/// </remarks>
public sealed class WebhookCrashTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("shipgate-hook-crash-").FullName;
    private readonly string _marks = StepMarks.Create("shipgate-hook-marks-").FullName;
    private readonly int _port = Ports.Free();

    public void Dispose()
    {
        Directory.Delete(_data, recursive: true);
        Directory.Delete(_marks, recursive: true);
    }

    [Theory]
    [InlineData("fetch")]
    [InlineData("merge-base")]
    [InlineData("step")]
    public async Task KillDashNine_WhileAPushIsHandled_TheRedeliveryCreatesExactlyOneRun(string point)
    {
        using var repository = new TestRepository();
        repository.Write(".github/workflows/ci.yml", $$"""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - run: touch {{_marks}}/step && [ -e {{_marks}}/second-server ] || sleep 30
            """);
        var before = repository.Commit("workflow");
        string secret;
        string body;
        await using (var first = await StartUpAsync(point == "step" ? null : point))
        {
            using var admin = Admin();
            secret = await WebhookAttackTests.AddProjectAsync(admin, repository);
            repository.Write("src/app.txt", "2");
            body = SignedWebhook.PushBody(before, repository.Commit("change"));
            var delivery = Task.Run(async () =>
            {
                try
                {
                    using var response = await SignedWebhook.PostAsync(admin, "push", body, secret, "d-1");
                }
                catch (HttpRequestException)
                {
                    // The server died with the request in flight (the points before the answer).
                }
            }, Ct);
            await EventuallyAsync(() => Task.FromResult(Directory.EnumerateFiles(_marks, point == "step" ? "step" : "paused-*").Any() ? "paused" : null), $"the server to reach {point}");
            await first.KillAsync();
            await delivery.DefaultTimeout();
        }

        File.WriteAllText(Path.Combine(_marks, "second-server"), "");
        await using var second = await StartUpAsync(null);
        using var again = Admin();
        using var redelivery = await SignedWebhook.PostAsync(again, "push", body, secret, "d-1");
        var runs = await WebhookAttackTests.RunsAsync(again);

        Assert.Equal(point == "step" ? HttpStatusCode.OK : HttpStatusCode.Accepted, redelivery.StatusCode);
        var run = Assert.Single(runs);
        if (point != "step")
        {
            Assert.Equal([run.Id], (await redelivery.Content.ReadFromJsonAsync(ApiJsonContext.Default.WebhookResponse, Ct).DefaultTimeout())!.Runs);
        }
    }

    /// <summary><c>shipgate up</c> on this test's data and port; with <paramref name="pauseOn"/>, its git pauses on that git command.</summary>
    private Task<ShipgateUp> StartUpAsync(string? pauseOn)
    {
        var environment = new Dictionary<string, string> { ["Shipgate__RunLease"] = "00:00:03" };
        if (pauseOn is not null)
        {
            var bin = Directory.CreateDirectory(Path.Combine(_marks, "bin")).FullName;
            var git = Path.Combine(bin, "git");
            var realGit = Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(d => Path.Combine(d, "git")).First(File.Exists);
            File.WriteAllText(git, $$"""
                #!/bin/sh
                case " $* " in
                  *" {{pauseOn}} "*)
                    touch "{{_marks}}/paused-$$"
                    while kill -0 $PPID 2>/dev/null; do sleep 0.1; done
                    exit 1 ;;
                esac
                exec {{realGit}} "$@"
                """);
            File.SetUnixFileMode(git, (UnixFileMode)0b111_101_101);
            environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        }

        return ShipgateUp.StartOnAsync(_data, _port, environment);
    }

    private HttpClient Admin()
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}/"), Timeout = TestTimeouts.Default };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(_data, "admin.token")).Trim());
        return client;
    }
}
