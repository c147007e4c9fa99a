using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Tests.Runs;

/// <summary>
/// Issue #7, finding 5: a secret in a text an expression fills (a step's or a job's name, a run name, a
/// reason, an error) reaches no observer, no result and no file name unmasked.
/// </summary>
public sealed class SecretMaskingTests : IDisposable
{
    private const string Secret = "s3cr3t-in-a-name";

    private readonly RunHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task StepName_WithSecret_IsMaskedInEventsResultsAndLogFileName()
    {
        var workflow = _harness.LoadWorkflow("""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - name: deploy ${{ secrets.TOKEN }}
                    run: exit 3
            """);

        var result = await RunAsync(workflow);

        var step = Assert.Single(Assert.Single(result.Jobs).Steps);
        Assert.Equal("deploy ***", step.Name);
        Assert.Equal("deploy ***", Assert.Single(_harness.Observer.OfType<StepStartedEvent>()).Name);
        Assert.Equal("Step 'deploy ***' failed: Process completed with exit code 3.", Assert.Single(result.Jobs).Reason);
        AssertNowhere(result);
    }

    // A job's name cannot read secrets, but a variable or an input may hold a secret's value.
    [Fact]
    public async Task JobAndMatrixLegNames_WithSecret_AreMaskedInEventsAndTheGateRequest()
    {
        var gate = new FakeJobGate();
        var workflow = _harness.LoadWorkflow("""
            on: push
            jobs:
              deploy:
                name: deploy ${{ vars.TARGET }} ${{ matrix.region }}
                runs-on: ubuntu-latest
                environment: production
                strategy:
                  matrix:
                    region: [eu]
                steps:
                  - run: echo ok
            """);

        var result = await RunAsync(workflow, gate, new Dictionary<string, string> { ["TARGET"] = Secret });

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal("deploy *** eu", Assert.Single(_harness.Observer.OfType<JobStartedEvent>()).Name);
        Assert.Equal("deploy *** eu", Assert.Single(gate.Asked).Name);
        AssertNowhere(result);
    }

    [Fact]
    public async Task RunNameAndConditionError_WithSecret_AreMasked()
    {
        var workflow = _harness.LoadWorkflow("""
            on: push
            run-name: release ${{ vars.TARGET }}
            env:
              TOKEN: ${{ secrets.TOKEN }}
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - if: ${{ fromJSON(env.TOKEN) }}
                    run: echo never
            """);

        var result = await RunAsync(workflow, variables: new Dictionary<string, string> { ["TARGET"] = Secret });

        Assert.Equal("release ***", Assert.Single(_harness.Observer.OfType<RunStartedEvent>()).RunName);
        var step = Assert.Single(Assert.Single(result.Jobs).Steps);
        Assert.Equal(Conclusion.Failure, step.Conclusion);
        AssertNowhere(result);
    }

    [Fact]
    public async Task StepReason_WithSecret_IsMaskedInEventsAndResults()
    {
        var workflow = _harness.LoadWorkflow("""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - working-directory: ${{ secrets.TOKEN }}
                    run: echo never
            """);

        var result = await RunAsync(workflow);

        var step = Assert.Single(Assert.Single(result.Jobs).Steps);
        Assert.Equal(Conclusion.Failure, step.Conclusion);
        Assert.Contains("***", step.Reason, StringComparison.Ordinal);
        AssertNowhere(result);
    }

    private Task<RunResult> RunAsync(Core.Workflows.WorkflowDefinition workflow, IJobGate? gate = null, IReadOnlyDictionary<string, string>? variables = null)
    {
        var request = _harness.Request(workflow, gate, variables);
        return _harness.RunAsync(new RunRequest
        {
            Workflow = request.Workflow,
            RepositoryDirectory = request.RepositoryDirectory,
            DataDirectory = request.DataDirectory,
            JobGate = gate,
            Variables = request.Variables,
            Secrets = new Dictionary<string, string> { ["TOKEN"] = Secret },
        });
    }

    /// <summary>Not in any event (every property, as the record prints it), result, file name or file of the data directory.</summary>
    private void AssertNowhere(RunResult result)
    {
        Assert.All(_harness.Observer.Events, e => Assert.DoesNotContain(Secret, e.ToString(), StringComparison.Ordinal));
        Assert.All(_harness.Observer.OfType<RunStartedEvent>().SelectMany(e => e.Jobs), j => Assert.DoesNotContain(Secret, j.Name, StringComparison.Ordinal));
        Assert.DoesNotContain(Secret, result.Reason ?? "", StringComparison.Ordinal);
        foreach (var job in result.Jobs)
        {
            Assert.DoesNotContain(Secret, job.ToString(), StringComparison.Ordinal);
            Assert.All(job.Steps, s => Assert.DoesNotContain(Secret, s.ToString(), StringComparison.Ordinal));
        }

        foreach (var path in Directory.EnumerateFileSystemEntries(_harness.Data, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(Secret, path, StringComparison.Ordinal);
            if (File.Exists(path))
            {
                Assert.DoesNotContain(Secret, File.ReadAllText(path), StringComparison.Ordinal);
            }
        }
    }
}
