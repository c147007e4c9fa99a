using Shipgate.EndToEnd.Tests.Infrastructure;

namespace Shipgate.EndToEnd.Tests;

/// <summary><c>shipgate validate</c> through the real executable.</summary>
public sealed class ValidateCommandTests
{
    [Fact]
    public async Task Validate_SampleWorkflows_NoErrorsExit0()
    {
        var result = await ShipgateCli.RunAsync(["validate", Path.Combine(SourceTree.Root, "samples/hello-service")]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain(": error:", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_BrokenWorkflow_EveryErrorPositionedInOnePassExit2()
    {
        using var repo = new TempGitRepository();
        var path = repo.Write(".github/workflows/broken.yml", """
            on: push
            jobs:
              a:
                needs: b
                runs-on: ubuntu-latest
                steps:
                  - run: echo ${{ nosuch.value }}
              b:
                needs: a
                runs-on: ubuntu-latest
                timeout-minutes: soon
                steps:
                  - run: echo hi
                    uses: actions/checkout@v4
            """);

        var result = await ShipgateCli.RunAsync(["validate", path]);

        Assert.Equal(2, result.ExitCode);
        var errors = result.Stdout.Split('\n').Where(l => l.Contains(": error:", StringComparison.Ordinal)).ToList();
        Assert.Contains(errors, e => e.Contains("cycle", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith($"{path}:7:", StringComparison.Ordinal) && e.Contains("nosuch", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith($"{path}:11:", StringComparison.Ordinal) && e.Contains("timeout-minutes", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith($"{path}:13:", StringComparison.Ordinal) || e.StartsWith($"{path}:14:", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MissingPath_OneSentenceExit2()
    {
        var result = await ShipgateCli.RunAsync(["validate", "/nonexistent/flows"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }
}
