using Shipgate.Engine.Runs;
using Shipgate.Engine.Tests.Runs;

namespace Shipgate.Engine.Tests.Steps;

public sealed class StepCommandsTests : IDisposable
{
    private readonly RunHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task WorkflowCommands_MaskAnnotateAndSummarize()
    {
        var workflow = _harness.LoadWorkflow("""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - run: |
                      echo "::add-mask::generated-pw-77"
                      echo "the password is generated-pw-77"
                      echo "::warning file=app.js,line=3,title=Careful::watch out"
                      echo "## Done" >> "$GITHUB_STEP_SUMMARY"
                  - run: echo "later generated-pw-77"
            """);

        var result = await _harness.RunAsync(workflow);

        Assert.Equal(Conclusion.Success, result.Conclusion);
        var steps = RunEngineTests.Single(result, "build").Steps;
        var first = File.ReadAllText(steps[0].LogPath!);
        Assert.Contains("the password is ***", first);
        Assert.DoesNotContain("generated-pw-77", first + File.ReadAllText(steps[1].LogPath!));
        var warning = Assert.Single(_harness.Observer.OfType<StepAnnotationEvent>());
        Assert.Equal((AnnotationLevel.Warning, "watch out", "app.js", 3, "Careful"), (warning.Level, warning.Message, warning.File, warning.Line, warning.Title));
        var summary = Directory.GetFiles(result.RunDirectory, "summary.md", SearchOption.AllDirectories).Single();
        Assert.Contains("## Done", File.ReadAllText(summary));
    }

    [Fact]
    public async Task DefaultsRun_JobOverridesWorkflowAndStepOverridesBoth()
    {
        var workflow = _harness.LoadWorkflow($$$"""
            on: push
            defaults:
              run:
                shell: sh
                working-directory: from-workflow
            jobs:
              build:
                runs-on: ubuntu-latest
                defaults:
                  run:
                    working-directory: from-job
                steps:
                  - run: mkdir -p "$GITHUB_WORKSPACE/from-job" "$GITHUB_WORKSPACE/from-step"
                    working-directory: .
                  - run: basename "$PWD" > {{{_harness.Shared}}}/job-default
                  - run: basename "$PWD" > {{{_harness.Shared}}}/step
                    working-directory: from-step
                  - run: echo "$0" > {{{_harness.Shared}}}/shell
            """);

        var result = await _harness.RunAsync(workflow);

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal("from-job\n", _harness.ReadShared("job-default"));
        Assert.Equal("from-step\n", _harness.ReadShared("step"));
        Assert.EndsWith(".sh\n", _harness.ReadShared("shell"));
    }

    [Fact]
    public async Task BackgroundProcess_OutlivesItsStepButNotItsJob()
    {
        var pidFile = Path.Combine(_harness.Shared, "server.pid");
        var workflow = _harness.LoadWorkflow($$$"""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - run: (sleep 300 & echo $! > {{{pidFile}}}) 
                  - run: kill -0 "$(cat {{{pidFile}}})"
            """);

        var result = await _harness.RunAsync(workflow);

        Assert.Equal(Conclusion.Success, result.Conclusion);
        await TimeoutAndCancellationTests.AssertDeadAsync(int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
