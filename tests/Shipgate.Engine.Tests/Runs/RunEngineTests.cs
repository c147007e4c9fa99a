using System.Text.Json;
using Shipgate.Core.Workflows;
using Shipgate.Engine.Runs;
using static Shipgate.Engine.Tests.Runs.TestWorkflow;

namespace Shipgate.Engine.Tests.Runs;

public sealed class RunEngineTests : IDisposable
{
    private readonly RunHarness _harness = new();

    private string Shared => _harness.Shared;

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task RunAsync_JobsWithNeeds_RunInDependencyOrder()
    {
        var order = Path.Combine(Shared, "order");
        var workflow = Workflow(
            Job("c", [Run($"echo c >> {order}")], needs: ["b"]),
            Job("b", [Run($"echo b >> {order}")], needs: ["a"]),
            Job("a", [Run($"echo a >> {order}")]));

        var result = await _harness.RunAsync(workflow);

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal("a\nb\nc\n", File.ReadAllText(order));
        Assert.All(result.Jobs, j => Assert.Equal(Conclusion.Success, j.Conclusion));
    }

    [Fact]
    public async Task RunAsync_FailedJob_SkipsItsDependentsTransitively()
    {
        var workflow = Workflow(
            Job("a", [Run("exit 3")]),
            Job("b", [Run($"touch {Shared}/b")], needs: ["a"]),
            Job("c", [Run($"touch {Shared}/c")], needs: ["b"]),
            Job("d", [Run($"touch {Shared}/d")]));

        var result = await _harness.RunAsync(workflow);

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        Assert.Equal(Conclusion.Failure, Single(result, "a").Conclusion);
        Assert.Equal(Conclusion.Skipped, Single(result, "b").Conclusion);
        Assert.Equal(Conclusion.Skipped, Single(result, "c").Conclusion);
        Assert.Equal(Conclusion.Success, Single(result, "d").Conclusion);
        Assert.False(File.Exists(Path.Combine(Shared, "b")));
        Assert.Contains("exit code 3", Single(result, "a").Reason);
    }

    [Fact]
    public async Task RunAsync_IndependentJobs_RunAtTheSameTime()
    {
        // Each job waits until the other has started: they can only both succeed when they overlap.
        static string Meet(string me, string other, string dir) =>
            $"touch {dir}/{me}; for i in $(seq 1 300); do [ -e {dir}/{other} ] && exit 0; sleep 0.1; done; exit 1";
        var workflow = Workflow(
            Job("left", [Run(Meet("left", "right", Shared))]),
            Job("right", [Run(Meet("right", "left", Shared))]));

        var result = await _harness.RunAsync(
            _harness.Request(workflow),
            new RunEngineOptions { MaxParallelJobs = 2 });

        Assert.Equal(Conclusion.Success, result.Conclusion);
    }

    [Fact]
    public async Task RunAsync_HostLimitOfOne_RunsJobsOneAtATime()
    {
        var workflow = Workflow(
            Job("one", [Run(Exclusive(Shared))]),
            Job("two", [Run(Exclusive(Shared))]),
            Job("three", [Run(Exclusive(Shared))]));

        var result = await _harness.RunAsync(
            _harness.Request(workflow),
            new RunEngineOptions { MaxParallelJobs = 1 });

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.False(File.Exists(Path.Combine(Shared, "overlap")));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(Shared, "entered")).Length);
    }

    [Fact]
    public async Task RunAsync_FailingStep_SkipsLaterStepsAndFailsTheJob()
    {
        var workflow = Workflow(Job("build", [Run("exit 1", id: "broken"), Run($"touch {Shared}/after", id: "after")]));

        var result = await _harness.RunAsync(workflow);

        var job = Single(result, "build");
        Assert.Equal(Conclusion.Failure, job.Conclusion);
        Assert.Equal([Conclusion.Failure, Conclusion.Skipped], job.Steps.Select(s => s.Conclusion));
        Assert.False(File.Exists(Path.Combine(Shared, "after")));
    }

    [Fact]
    public async Task RunAsync_StepContinueOnError_OutcomeFailureConclusionSuccess()
    {
        var workflow = Workflow(Job("build", [Run("exit 1", id: "flaky", continueOnError: true), Run($"touch {Shared}/after")]));

        var result = await _harness.RunAsync(workflow);

        var job = Single(result, "build");
        Assert.Equal(Conclusion.Success, job.Conclusion);
        Assert.Equal(Conclusion.Failure, job.Steps[0].Outcome);
        Assert.Equal(Conclusion.Success, job.Steps[0].Conclusion);
        Assert.True(File.Exists(Path.Combine(Shared, "after")));
        Assert.Equal(Conclusion.Success, result.Conclusion);
    }

    [Fact]
    public async Task RunAsync_JobContinueOnError_RunSucceedsAndDependentsRun()
    {
        var workflow = Workflow(
            Job("experimental", [Run("exit 1")], continueOnError: true),
            Job("next", [Run($"touch {Shared}/next")], needs: ["experimental"]));

        var result = await _harness.RunAsync(workflow);

        var job = Single(result, "experimental");
        Assert.Equal(Conclusion.Failure, job.Outcome);
        Assert.Equal(Conclusion.Success, job.Conclusion);
        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.True(File.Exists(Path.Combine(Shared, "next")));
    }

    [Fact]
    public async Task RunAsync_GithubEnvAndPath_CarryToLaterSteps()
    {
        var tools = Path.Combine(Shared, "tools");
        Directory.CreateDirectory(tools);
        File.WriteAllText(Path.Combine(tools, "mytool"), "#!/bin/sh\necho tool-ran\n");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(Path.Combine(tools, "mytool"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var workflow = Workflow(Job("build", [
            Run($"echo GREETING=hello >> $GITHUB_ENV\nprintf 'MULTI<<EOF\\nline1\\nline2\\nEOF\\n' >> $GITHUB_ENV\necho {tools} >> $GITHUB_PATH"),
            Run($"echo \"$GREETING\" > {Shared}/greeting; echo \"$MULTI\" > {Shared}/multi; mytool > {Shared}/tool"),
        ]));

        var result = await _harness.RunAsync(workflow);

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal("hello\n", _harness.ReadShared("greeting"));
        Assert.Equal("line1\nline2\n", _harness.ReadShared("multi"));
        Assert.Equal("tool-ran\n", _harness.ReadShared("tool"));
    }

    [Fact]
    public async Task RunAsync_EnvLayers_StepOverridesJobOverridesWorkflow()
    {
        var workflow = new WorkflowDefinition
        {
            FilePath = "wf.yml",
            On = new WorkflowTriggers(),
            Env = [new("A", S("workflow")), new("B", S("workflow")), new("C", S("workflow"))],
            Jobs = [Job("build", [Run($"echo $A-$B-$C > {Shared}/env", env: [("C", "step")])], env: [("B", "job"), ("C", "job")])],
        };

        var result = await _harness.RunAsync(workflow);

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal("workflow-job-step\n", _harness.ReadShared("env"));
    }

    [Fact]
    public async Task RunAsync_DefaultEnvironment_MatchesGitHub()
    {
        var workflow = Workflow(Job("build", [Run($"env > {Shared}/env; pwd > {Shared}/pwd")]));

        var result = await _harness.RunAsync(new RunRequest
        {
            Workflow = workflow,
            RepositoryDirectory = _harness.Repository,
            DataDirectory = _harness.Data,
            Sha = "0123456789abcdef0123456789abcdef01234567",
            Ref = "refs/tags/v1.2",
            Actor = "alice",
            RunId = "4242",
            RunNumber = 7,
        });

        Assert.Equal(Conclusion.Success, result.Conclusion);
        var env = File.ReadAllLines(Path.Combine(Shared, "env"))
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Last()[1]);
        Assert.Equal("true", env["CI"]);
        Assert.Equal("true", env["GITHUB_ACTIONS"]);
        Assert.Equal("0123456789abcdef0123456789abcdef01234567", env["GITHUB_SHA"]);
        Assert.Equal("refs/tags/v1.2", env["GITHUB_REF"]);
        Assert.Equal("v1.2", env["GITHUB_REF_NAME"]);
        Assert.Equal("tag", env["GITHUB_REF_TYPE"]);
        Assert.Equal("4242", env["GITHUB_RUN_ID"]);
        Assert.Equal("7", env["GITHUB_RUN_NUMBER"]);
        Assert.Equal("1", env["GITHUB_RUN_ATTEMPT"]);
        Assert.Equal("alice", env["GITHUB_ACTOR"]);
        Assert.Equal("push", env["GITHUB_EVENT_NAME"]);
        Assert.Equal("build", env["GITHUB_JOB"]);
        Assert.Equal("__run", env["GITHUB_ACTION"]);
        Assert.Equal("Linux", env["RUNNER_OS"]);
        Assert.Equal("X64", env["RUNNER_ARCH"]);
        Assert.EndsWith("/repo", env["GITHUB_REPOSITORY"]);
        Assert.StartsWith(_harness.Data, env["GITHUB_WORKSPACE"]);
        Assert.Equal(env["GITHUB_WORKSPACE"], File.ReadAllText(Path.Combine(Shared, "pwd")).Trim());
        Assert.StartsWith(_harness.Data, env["RUNNER_TEMP"]);
        Assert.StartsWith(_harness.Data, env["RUNNER_TOOL_CACHE"]);
        foreach (var file in (string[])["GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STATE", "GITHUB_STEP_SUMMARY"])
        {
            Assert.StartsWith(env["RUNNER_TEMP"], env[file]);
        }

        using var payload = JsonDocument.Parse(File.ReadAllText(env["GITHUB_EVENT_PATH"]));
        Assert.Equal("refs/tags/v1.2", payload.RootElement.GetProperty("ref").GetString());
        Assert.Equal("0123456789abcdef0123456789abcdef01234567", payload.RootElement.GetProperty("after").GetString());
        Assert.Equal("alice", payload.RootElement.GetProperty("pusher").GetProperty("name").GetString());
        Assert.True(payload.RootElement.TryGetProperty("repository", out _));
        Assert.False(Directory.Exists(Path.Combine(_harness.Repository, ".shipgate")), "the run must not write into the repository");
    }

    [Fact]
    public async Task RunAsync_StepOutputPastTheLogBound_IsDroppedWithOneNoteAndTheStepGoesOn()
    {
        // 100 lines of 100 bytes (with the newline) against a bound of 1,000 bytes: 10 lines kept, 90 dropped.
        var workflow = Workflow(Job("build", [
            Run($"for i in $(seq 100); do printf '%099d\\n' $i; done; echo done > {Shared}/first"),
            Run($"echo second > {Shared}/second"),
        ]));

        var result = await _harness.RunAsync(_harness.Request(workflow), new RunEngineOptions { MaxStepLogBytes = 1_000 });

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal("done\n", _harness.ReadShared("first"));
        Assert.Equal("second\n", _harness.ReadShared("second"));
        var lines = File.ReadAllLines(Single(result, "build").Steps[0].LogPath!).Select(l => l.Split(' ', 2)[1]).ToList();
        Assert.Equal(11, lines.Count);
        Assert.Equal(
            "##[warning]The step's log reached its limit of 1000 bytes: the last 9000 bytes (90 lines) of its output were dropped.",
            lines[^1]);
        Assert.Equal(10, _harness.Observer.OfType<StepOutputEvent>().Count(e => e.StepNumber == 1));
    }

    [Fact]
    public async Task RunAsync_StepScript_IsOwnerOnlyWhileItRunsAndRemovedAfter()
    {
        var workflow = Workflow(Job("build", [Run($"stat -c %a \"$0\" > {Shared}/mode; echo \"$0\" > {Shared}/path")]));

        var result = await _harness.RunAsync(workflow);

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal("600\n", _harness.ReadShared("mode"));
        Assert.False(File.Exists(_harness.ReadShared("path").TrimEnd()));
    }

    [Fact]
    public async Task RunAsync_Secrets_AreMaskedInLogsEventsAndPayload()
    {
        var workflow = Workflow(Job("build", [Run("echo \"token is $TOKEN\"; printf 'first\\nsecond-line\\n' | sed 's/^/multi: /'", env: [("TOKEN", "s3cr3t-value")])]));
        var request = new RunRequest
        {
            Workflow = workflow,
            RepositoryDirectory = _harness.Repository,
            DataDirectory = _harness.Data,
            Secrets = new Dictionary<string, string> { ["TOKEN"] = "s3cr3t-value", ["CERT"] = "first\nsecond-line" },
            EventName = "workflow_dispatch",
            Inputs = new Dictionary<string, string> { ["note"] = "s3cr3t-value" },
        };

        var result = await _harness.RunAsync(request);

        Assert.Equal(Conclusion.Success, result.Conclusion);
        var log = File.ReadAllText(Single(result, "build").Steps[0].LogPath!);
        Assert.Contains("token is ***", log);
        Assert.Contains("multi: ***", log);
        foreach (var file in Directory.EnumerateFiles(_harness.Data, "*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("s3cr3t-value", text);
            Assert.DoesNotContain("second-line", text);
        }

        Assert.DoesNotContain(_harness.Observer.OfType<StepOutputEvent>(), e => e.Line.Contains("s3cr3t", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_Events_ComeInOrderOneAtATimeWithoutGaps()
    {
        var workflow = Workflow(
            Job("a", [Run("echo one; echo two"), Run("echo three")]),
            Job("b", [Run("echo four")], needs: ["a"]));

        await _harness.RunAsync(workflow);

        var events = _harness.Observer.Events;
        Assert.False(_harness.Observer.OverlappingCalls);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.IsType<RunStartedEvent>(events[0]);
        Assert.IsType<RunFinishedEvent>(events[^1]);
        var lines = events.OfType<StepOutputEvent>().Select(e => e.Line).ToList();
        Assert.Equal(["one", "two", "three", "four"], lines);
        var aStarted = events.OfType<JobStartedEvent>().Single(e => e.JobId == "a");
        var aFinished = events.OfType<JobFinishedEvent>().Single(e => e.JobId == "a");
        var bStarted = events.OfType<JobStartedEvent>().Single(e => e.JobId == "b");
        Assert.True(aStarted.Sequence < aFinished.Sequence && aFinished.Sequence < bStarted.Sequence);
        var stepStarted = events.OfType<StepStartedEvent>().First();
        Assert.Equal("Run echo one; echo two", stepStarted.Name);
        Assert.True(File.Exists(stepStarted.LogPath));
        Assert.Equal(["one", "two"], File.ReadAllLines(stepStarted.LogPath!).Select(l => l.Split(' ', 2)[1]));
    }

    [Fact]
    public async Task RunAsync_JobFilter_RunsTheJobAndWhatItNeeds()
    {
        var workflow = Workflow(
            Job("a", [Run("true")]),
            Job("b", [Run("true")], needs: ["a"]),
            Job("c", [Run("true")], needs: ["b"]),
            Job("other", [Run("true")]));

        var result = await _harness.RunAsync(new RunRequest { Workflow = workflow, RepositoryDirectory = _harness.Repository, DataDirectory = _harness.Data, JobFilter = "b" });

        Assert.Equal(["a", "b"], result.Jobs.Select(j => j.JobId).Order());
    }

    [Fact]
    public async Task RunAsync_UnknownJobFilter_Throws()
    {
        var workflow = Workflow(Job("a", [Run("true")]));

        await Assert.ThrowsAsync<ArgumentException>(() => _harness.RunAsync(new RunRequest { Workflow = workflow, RepositoryDirectory = _harness.Repository, DataDirectory = _harness.Data, JobFilter = "nope" }));
    }

    [Fact]
    public async Task RunAsync_RunsOnLabelNoRunnerHas_FailsTheJobClearly()
    {
        var workflow = Workflow(Job("mac", [Run("true")], runsOn: S("macos-latest")), Job("linux", [Run("true")], runsOn: new SequenceToken([S("self-hosted"), S("Linux"), S("X64")], new("t", 1, 1))));

        var result = await _harness.RunAsync(workflow);

        var mac = Single(result, "mac");
        Assert.Equal(Conclusion.Failure, mac.Conclusion);
        Assert.Contains("no runner has the label 'macos-latest'", mac.Reason);
        Assert.Equal(Conclusion.Success, Single(result, "linux").Conclusion);
    }

    [Fact]
    public async Task RunAsync_JobWithContainer_FailsSayingItNeedsDocker()
    {
        var job = new JobDefinition { Id = "db", Location = new("t", 1, 1), RunsOn = S("ubuntu-latest"), Container = new("t", 2, 3), Steps = [Run("true")] };

        var result = await _harness.RunAsync(Workflow(job));

        Assert.Equal("job db uses a container/services, which needs Docker; Shipgate runs jobs on the host", Single(result, "db").Reason);
        Assert.Equal(Conclusion.Failure, result.Conclusion);
    }

    [Fact]
    public async Task RunAsync_UnknownRemoteAction_FailsTheStepSayingToVendorIt()
    {
        var workflow = Workflow(Job("build", [Uses("someone/something@v1")]));

        var result = await _harness.RunAsync(workflow);

        var step = Single(result, "build").Steps[0];
        Assert.Equal(Conclusion.Failure, step.Conclusion);
        Assert.Equal("action someone/something@v1 is not available offline; vendor it into the repository and use `uses: ./path`", step.Reason);
    }

    [Fact]
    public async Task RunAsync_Shells_RunWithGitHubsCommandLines()
    {
        var workflow = Workflow(Job("build", [
            Run($"false | true; echo piped-ok > {Shared}/default"),
            Run($"false | true; echo not-reached > {Shared}/bash", shell: "bash", continueOnError: true),
            Run($"import os\nopen(os.path.join('{Shared}', 'python'), 'w').write('py')", shell: "python"),
            Run($"echo custom > {Shared}/custom", shell: "sh -x {0}"),
            Run($"pwd > {Shared}/wd", workingDirectory: "sub", continueOnError: true),
        ]));

        var result = await _harness.RunAsync(workflow);

        var steps = Single(result, "build").Steps;
        Assert.Equal("piped-ok\n", _harness.ReadShared("default"));
        Assert.Equal(Conclusion.Failure, steps[1].Outcome);
        Assert.False(File.Exists(Path.Combine(Shared, "bash")), "bash runs with -o pipefail");
        Assert.Equal("py", _harness.ReadShared("python"));
        Assert.Equal("custom\n", _harness.ReadShared("custom"));
        Assert.Equal(Conclusion.Failure, steps[4].Outcome);
        Assert.Contains("does not exist", steps[4].Reason);
    }

    [Fact]
    public async Task RunAsync_JobsInOneConcurrencyGroup_RunOneAtATime()
    {
        var group = new ConcurrencyDefinition { Group = S("deploy-${{ github.ref }}") };
        var workflow = Workflow(
            Job("one", [Run(Exclusive(Shared))], concurrency: group),
            Job("two", [Run(Exclusive(Shared))], concurrency: group));

        var result = await _harness.RunAsync(_harness.Request(workflow), new RunEngineOptions { MaxParallelJobs = 2 });

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.False(File.Exists(Path.Combine(Shared, "overlap")));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(Shared, "entered")).Length);
    }

    internal static string Exclusive(string dir) =>
        $"if ! mkdir {dir}/lock 2>/dev/null; then echo overlap >> {dir}/overlap; fi; echo $GITHUB_JOB >> {dir}/entered; sleep 0.3; rmdir {dir}/lock";

    internal static JobRunResult Single(RunResult result, string jobId) => Assert.Single(result.JobsWithId(jobId));
}
