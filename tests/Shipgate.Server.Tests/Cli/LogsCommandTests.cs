using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Cli;

/// <summary><c>shipgate logs</c> against the real <c>shipgate up</c>: a step cannot drive the reader's terminal.</summary>
public sealed class LogsCommandTests
{
    [Fact]
    public async Task Logs_StepPrintsClearScreenAndAnOsc52ClipboardWrite_AreStrippedUnlessRaw()
    {
        using var repository = new TestRepository();
        repository.Write(".github/workflows/noisy.yml", """
            on: workflow_dispatch
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - run: |
                      printf 'before\033[2Jafter\n'
                      printf 'clip\033]52;c;ZXZpbA==\007board\n'
                      printf '\033[31mred\033[0m\n'
            """);
        repository.Commit("noisy");
        await using var up = await ShipgateUp.StartAsync();
        var run = await up.DispatchAsync(repository, "noisy.yml");

        var followed = await up.RunAsync(["logs", run, "--follow"]);
        var printed = await up.RunAsync(["logs", run]);
        var raw = await up.RunAsync(["logs", run, "--raw"]);

        Assert.True(followed.ExitCode == 0, followed.ToString());
        foreach (var stripped in new[] { followed.Stdout, printed.Stdout })
        {
            Assert.Contains("build | beforeafter\n", stripped, StringComparison.Ordinal);
            Assert.Contains("build | clipboard\n", stripped, StringComparison.Ordinal);
            Assert.Contains("build | red\n", stripped, StringComparison.Ordinal);
            Assert.DoesNotContain('\u001b', stripped);
        }

        Assert.Contains("before\u001b[2Jafter", raw.Stdout, StringComparison.Ordinal);
        Assert.Contains("\u001b]52;c;ZXZpbA==\u0007", raw.Stdout, StringComparison.Ordinal);
    }
}
