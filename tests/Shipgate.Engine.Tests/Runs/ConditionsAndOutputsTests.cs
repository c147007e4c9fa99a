using Shipgate.Core.Workflows;
using Shipgate.Engine.Runs;
using static Shipgate.Engine.Tests.Runs.TestWorkflow;

namespace Shipgate.Engine.Tests.Runs;

public sealed class ConditionsAndOutputsTests : IDisposable
{
    private readonly RunHarness _harness = new();

    private string Shared => _harness.Shared;

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task StepConditions_AfterAFailure_FollowStatusFunctions()
    {
        var workflow = Workflow(Job("build", [
            Run("exit 1", id: "broken"),
            Run($"touch {Shared}/default", id: "default"),
            Run($"touch {Shared}/always", condition: "always()"),
            Run($"touch {Shared}/failure", condition: "${{ failure() }}"),
            Run($"touch {Shared}/cancelled", condition: "cancelled()"),
            Run($"echo ${{{{ steps.broken.outcome }}}}-${{{{ steps.default.conclusion }}}} > {Shared}/seen", condition: "failure() && steps.broken.outcome == 'failure'"),
        ]));

        var result = await _harness.RunAsync(workflow);

        Assert.False(File.Exists(Path.Combine(Shared, "default")));
        Assert.True(File.Exists(Path.Combine(Shared, "always")));
        Assert.True(File.Exists(Path.Combine(Shared, "failure")));
        Assert.False(File.Exists(Path.Combine(Shared, "cancelled")));
        Assert.Equal("failure-skipped\n", _harness.ReadShared("seen"));
        Assert.Equal(Conclusion.Failure, result.Conclusion);
    }

    [Fact]
    public async Task StepCondition_WithoutStatusFunction_HasImplicitSuccess()
    {
        var workflow = Workflow(Job("build", [Run("exit 1"), Run($"touch {Shared}/ran", condition: "github.event_name == 'push'")]));

        await _harness.RunAsync(workflow);

        Assert.False(File.Exists(Path.Combine(Shared, "ran")));
    }

    [Fact]
    public async Task Cancellation_RunsStepsAskingForAlwaysOrCancelled()
    {
        using var cancel = new CancellationTokenSource();
        var workflow = Workflow(Job("build", [
            Run($"touch {Shared}/started; sleep 300"),
            Run($"touch {Shared}/default"),
            Run($"touch {Shared}/always", condition: "always()"),
            Run($"touch {Shared}/cancelled", condition: "cancelled()"),
            Run($"touch {Shared}/not-cancelled", condition: "!cancelled()"),
        ]));

        var running = _harness.RunAsync(_harness.Request(workflow), cancel: cancel);
        await TimeoutAndCancellationTests.WaitForFileAsync(Path.Combine(Shared, "started"));
        await cancel.CancelAsync();
        var result = await running;

        Assert.Equal(Conclusion.Cancelled, result.Conclusion);
        Assert.False(File.Exists(Path.Combine(Shared, "default")));
        Assert.True(File.Exists(Path.Combine(Shared, "always")));
        Assert.True(File.Exists(Path.Combine(Shared, "cancelled")));
        Assert.False(File.Exists(Path.Combine(Shared, "not-cancelled")));
    }

    [Fact]
    public async Task JobConditions_AfterAFailedNeed_FollowStatusFunctions()
    {
        var workflow = Workflow(
            Job("build", [Run("exit 1")]),
            Job("default", [Run($"touch {Shared}/default")], needs: ["build"]),
            Job("always", [Run($"echo ${{{{ needs.build.result }}}} > {Shared}/always")], needs: ["build"], condition: "always()"),
            Job("onfailure", [Run($"touch {Shared}/onfailure")], needs: ["default"], condition: "failure()"),
            Job("notcancelled", [Run($"touch {Shared}/notcancelled")], needs: ["build"], condition: "${{ !cancelled() }}"));

        var result = await _harness.RunAsync(workflow);

        Assert.Equal(Conclusion.Skipped, RunEngineTests.Single(result, "default").Conclusion);
        Assert.Equal("failure\n", _harness.ReadShared("always"));
        Assert.True(File.Exists(Path.Combine(Shared, "onfailure")), "failure() sees a failed ancestor through a skipped need");
        Assert.True(File.Exists(Path.Combine(Shared, "notcancelled")));
    }

    [Fact]
    public async Task JobConditions_AfterASkippedNeed_SuccessIsFalseButNotFailure()
    {
        var workflow = Workflow(
            Job("gate", [Run("true")], condition: "github.event_name == 'nothing'"),
            Job("default", [Run($"touch {Shared}/default")], needs: ["gate"]),
            Job("explicit", [Run($"touch {Shared}/explicit")], needs: ["gate"], condition: "success()"),
            Job("idiom", [Run($"echo ${{{{ needs.gate.result }}}} > {Shared}/idiom")], needs: ["gate"], condition: "${{ !failure() && !cancelled() }}"),
            Job("implicit", [Run($"touch {Shared}/implicit")], needs: ["gate"], condition: "needs.gate.result == 'skipped'"));

        var result = await _harness.RunAsync(workflow);

        Assert.Equal(Conclusion.Skipped, RunEngineTests.Single(result, "gate").Conclusion);
        Assert.False(File.Exists(Path.Combine(Shared, "default")));
        Assert.False(File.Exists(Path.Combine(Shared, "explicit")));
        Assert.Equal("skipped\n", _harness.ReadShared("idiom"));
        Assert.False(File.Exists(Path.Combine(Shared, "implicit")), "the implicit success() is false after a skipped need");
        Assert.Equal(Conclusion.Success, result.Conclusion);
    }

    [Fact]
    public async Task Outputs_FlowFromStepsToJobsToDependents()
    {
        var workflow = Workflow(
            Job(
                "build",
                [
                    Run("echo \"version=1.2.3\" >> $GITHUB_OUTPUT\nprintf 'notes<<END\\nline one\\nline two\\nEND\\n' >> $GITHUB_OUTPUT", id: "meta"),
                    Run("echo \"::set-output name=legacy::old-style\"", id: "old"),
                ],
                outputs: [("version", "${{ steps.meta.outputs.version }}"), ("notes", "${{ steps.meta.outputs.notes }}"), ("legacy", "${{ steps.old.outputs.legacy }}")]),
            Job("deploy", [Run($"echo '${{{{ needs.build.outputs.version }}}}|${{{{ needs.build.outputs.legacy }}}}|${{{{ needs.build.result }}}}' > {Shared}/deploy; echo \"$NOTES\" > {Shared}/notes", env: [("NOTES", "${{ needs.build.outputs.notes }}")])], needs: ["build"]));

        var result = await _harness.RunAsync(workflow);

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal("1.2.3|old-style|success\n", _harness.ReadShared("deploy"));
        Assert.Equal("line one\nline two\n", _harness.ReadShared("notes"));
        Assert.Equal("1.2.3", RunEngineTests.Single(result, "build").Outputs["version"]);
    }

    [Fact]
    public async Task Outputs_ContainingASecret_AreDropped()
    {
        var workflow = Workflow(Job("build", [Run("echo \"token=$T\" >> $GITHUB_OUTPUT", id: "s", env: [("T", "${{ secrets.TOKEN }}")])], outputs: [("token", "${{ steps.s.outputs.token }}")]));
        var request = new RunRequest
        {
            Workflow = workflow,
            RepositoryDirectory = _harness.Repository,
            DataDirectory = _harness.Data,
            Secrets = new Dictionary<string, string> { ["TOKEN"] = "hunter2-secret" },
        };

        var result = await _harness.RunAsync(request);

        Assert.False(RunEngineTests.Single(result, "build").Outputs.ContainsKey("token"));
        Assert.Contains(_harness.Observer.OfType<StepAnnotationEvent>(), e => e.Message.Contains("Skip output 'token'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Contexts_GithubEnvInputsAndVars_AreAvailableToExpressions()
    {
        var workflow = new WorkflowDefinition
        {
            FilePath = ".github/workflows/ci.yml",
            Name = S("CI"),
            On = new WorkflowTriggers
            {
                WorkflowDispatch = new DispatchTrigger
                {
                    Inputs =
                    [
                        new InputDefinition { Name = "level", Type = "number", Default = S("3") },
                        new InputDefinition { Name = "dry", Type = "boolean", Default = S("false") },
                    ],
                },
            },
            Env = [new("STAGE", S("prod"))],
            Jobs = [Job("build", [Run($"echo '${{{{ github.workflow }}}} ${{{{ github.event_name }}}} ${{{{ github.job }}}} ${{{{ env.STAGE }}}} ${{{{ inputs.level }}}} ${{{{ inputs.level > 2 }}}} ${{{{ inputs.dry }}}} ${{{{ vars.REGION }}}} ${{{{ runner.os }}}} ${{{{ github.event.inputs.dry }}}} ${{{{ strategy.job-total }}}}' > {Shared}/ctx")])],
        };

        var result = await _harness.RunAsync(new RunRequest
        {
            Workflow = workflow,
            RepositoryDirectory = _harness.Repository,
            DataDirectory = _harness.Data,
            EventName = "workflow_dispatch",
            Inputs = new Dictionary<string, string> { ["dry"] = "true" },
            Variables = new Dictionary<string, string> { ["REGION"] = "eu" },
        });

        Assert.True(Conclusion.Success == result.Conclusion, RunEngineTests.Single(result, "build").Reason);
        Assert.Equal("CI workflow_dispatch build prod 3 true true eu Linux true 1\n", _harness.ReadShared("ctx"));
    }

    [Fact]
    public async Task InvalidExpression_FailsTheStepWithItsPosition()
    {
        var workflow = Workflow(Job("build", [Run("echo ${{ fromJSON('not json') }}")]));

        var result = await _harness.RunAsync(workflow);

        var step = RunEngineTests.Single(result, "build").Steps[0];
        Assert.Equal(Conclusion.Failure, step.Conclusion);
        Assert.StartsWith("test.yml:1:1:", step.Reason);
    }
}
