using System.Diagnostics;
using System.Text.Json;
using Shipgate.Engine.Runs;
using Shipgate.Engine.Tests.Runs;

namespace Shipgate.Engine.Tests.Contexts;

public sealed class EventPayloadTests : IDisposable
{
    private readonly RunHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private void Git(params string[] arguments)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = _harness.Repository, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-c", "user.name=Ada", "-c", "user.email=ada@example.com", .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "git did not finish");
        Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
    }

    private async Task<JsonElement> RunAndReadPayloadAsync(string eventName, Dictionary<string, string>? inputs = null)
    {
        var workflow = _harness.LoadWorkflow($$$"""
            on: [push, pull_request, workflow_dispatch]
            jobs:
              show:
                runs-on: ubuntu-latest
                steps:
                  - run: |
                      cp "$GITHUB_EVENT_PATH" {{{_harness.Shared}}}/event.json
                      echo "${{ github.event_name }} ${{ github.ref_name }} ${{ github.head_ref }} ${{ github.repository }}" > {{{_harness.Shared}}}/ctx
            """);
        var result = await _harness.RunAsync(new RunRequest
        {
            Workflow = workflow,
            RepositoryDirectory = _harness.Repository,
            DataDirectory = _harness.Data,
            EventName = eventName,
            Inputs = inputs ?? [],
            Actor = "ada",
        });
        Assert.Equal(Conclusion.Success, result.Conclusion);
        using var document = JsonDocument.Parse(_harness.ReadShared("event.json"));
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task Push_PayloadHasTheHeadCommitFromGit()
    {
        Git("init", "-q", "-b", "main");
        Git("remote", "add", "origin", "git@github.com:acme/shop.git");
        _harness.WriteRepositoryFile("README.md", "hi");
        Git("add", "README.md");
        Git("commit", "-q", "-m", "First commit");

        var payload = await RunAndReadPayloadAsync("push");

        Assert.Equal("refs/heads/main", payload.GetProperty("ref").GetString());
        Assert.Equal(new string('0', 40), payload.GetProperty("before").GetString());
        var head = payload.GetProperty("head_commit");
        Assert.Equal("First commit", head.GetProperty("message").GetString());
        Assert.Equal("ada@example.com", head.GetProperty("author").GetProperty("email").GetString());
        Assert.Equal(payload.GetProperty("after").GetString(), head.GetProperty("id").GetString());
        Assert.Equal(1, payload.GetProperty("commits").GetArrayLength());
        Assert.Equal("acme/shop", payload.GetProperty("repository").GetProperty("full_name").GetString());
        Assert.Equal("push main  acme/shop\n", _harness.ReadShared("ctx"));
    }

    [Fact]
    public async Task WorkflowDispatch_PayloadHasTheInputs()
    {
        var payload = await RunAndReadPayloadAsync("workflow_dispatch", new Dictionary<string, string> { ["version"] = "1.0" });

        Assert.Equal("1.0", payload.GetProperty("inputs").GetProperty("version").GetString());
        Assert.Equal("ada", payload.GetProperty("sender").GetProperty("login").GetString());
    }

    [Fact]
    public async Task PullRequest_PayloadHasAMinimalPullRequest()
    {
        var payload = await RunAndReadPayloadAsync("pull_request");

        var pullRequest = payload.GetProperty("pull_request");
        Assert.Equal(1, pullRequest.GetProperty("number").GetInt32());
        Assert.Equal("main", pullRequest.GetProperty("head").GetProperty("ref").GetString());
        Assert.StartsWith("pull_request main main ", _harness.ReadShared("ctx"));
    }
}
