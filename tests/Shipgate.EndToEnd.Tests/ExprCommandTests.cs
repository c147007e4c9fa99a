using System.Diagnostics;
using System.Text.Json;

namespace Shipgate.EndToEnd.Tests;

/// <summary><c>shipgate expr</c>, driving the built executable.</summary>
public sealed class ExprCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static string Shipgate => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "shipgate.exe" : "shipgate");

    [Fact]
    public async Task Batch_AnswersEachLineBeforeTheNextIsSent()
    {
        using var process = Start("expr", "--batch");
        using var killer = KillOnExit(process);
        var cancellationToken = TestContext.Current.CancellationToken;

        // One line in, one line out, flushed: the next line is written only after the answer arrived.
        string[] inputs =
        [
            """{"expr": "github.ref == 'refs/heads/main' && 'yes'", "contexts": {"github": {"ref": "REFS/heads/main"}}}""",
            """{"expr": "toJSON(fromJSON('[1, 2.5]'))"}""",
            """{"expr": "fromJSON('{\"a\": [1, {\"b\": null}]}')"}""",
            """{"expr": "nosuch.x"}""",
            """{"expr": "0xFZ"}""",
            """{"expr": "format('{0')"}""",
            """not json""",
            """{"contexts": {}}""",
            """{"expr": "join(x.*.n, '+')", "contexts": {"x": [{"n": 1}, {"n": "two"}, {}]}}""",
        ];
        var outputs = new List<string>();
        foreach (var input in inputs)
        {
            await process.StandardInput.WriteLineAsync(input.AsMemory(), cancellationToken);
            await process.StandardInput.FlushAsync(cancellationToken);
            var line = await process.StandardOutput.ReadLineAsync(cancellationToken).AsTask().WaitAsync(Timeout, cancellationToken);
            Assert.NotNull(line);
            outputs.Add(line);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken).WaitAsync(Timeout, cancellationToken);

        Assert.Equal(0, process.ExitCode);
        Assert.Equal("""{"kind":"String","value":"yes"}""", outputs[0]);
        Assert.Equal("""{"kind":"String","value":"[\n  1,\n  2.5\n]"}""", outputs[1]);
        Assert.Equal("""{"kind":"Object","value":{"a":[1,{"b":null}]}}""", outputs[2]);
        AssertError(outputs[3], "parsing", "Unrecognized named-value: 'nosuch'. Located at position 1 within expression: nosuch.x");
        AssertError(outputs[4], "lexing", "Unexpected symbol: '0xFZ'. Located at position 1 within expression: 0xFZ");
        AssertError(outputs[5], "evaluation", "The following format string is invalid: {0. Located at position 1 within expression: format('{0')");
        AssertError(outputs[6], "input", "The line is not JSON");
        AssertError(outputs[7], "input", "\"expr\"");
        Assert.Equal("""{"kind":"String","value":"1+two"}""", outputs[8]);
    }

    [Fact]
    public async Task One_PrintsTheValueAsJson()
    {
        var contexts = Path.Combine(Path.GetTempPath(), $"shipgate-expr-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(contexts, """{"github": {"ref": "refs/heads/main"}, "matrix": {"os": ["linux", "mac"]}}""", TestContext.Current.CancellationToken);
        try
        {
            var (exitCode, stdout, stderr) = await RunAsync("expr", "matrix.os", "--contexts", contexts);
            Assert.Equal(0, exitCode);
            Assert.Equal("[\n  \"linux\",\n  \"mac\"\n]\n", stdout);
            Assert.Empty(stderr);

            (exitCode, stdout, _) = await RunAsync("expr", "--condition", "${{ github.ref == 'refs/heads/main' }}", "--contexts", contexts);
            Assert.Equal(0, exitCode);
            Assert.Equal("true\n", stdout);

            // Single mode knows every workflow context, given or not.
            (exitCode, stdout, _) = await RunAsync("expr", "secrets.TOKEN || 'none'");
            Assert.Equal(0, exitCode);
            Assert.Equal("\"none\"\n", stdout);
        }
        finally
        {
            File.Delete(contexts);
        }
    }

    [Fact]
    public async Task One_BadExpression_PrintsTheErrorAndExitsWithTwo()
    {
        var (exitCode, stdout, stderr) = await RunAsync("expr", "github.ref ==");

        Assert.Equal(2, exitCode);
        Assert.Empty(stdout);
        Assert.Equal("shipgate: parsing error: Unexpected end of expression: '=='. Located at position 12 within expression: github.ref ==\n", stderr);
    }

    [Fact]
    public async Task One_MissingContextsFile_IsOneSentenceAndExitTwo()
    {
        var (exitCode, _, stderr) = await RunAsync("expr", "1", "--contexts", "/nonexistent/contexts.json");

        Assert.Equal(2, exitCode);
        Assert.Equal("shipgate: /nonexistent/contexts.json: the contexts file does not exist.\n", stderr);
    }

    private static void AssertError(string line, string kind, string message)
    {
        using var document = JsonDocument.Parse(line);
        var error = document.RootElement.GetProperty("error");
        Assert.Equal(kind, error.GetProperty("kind").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Kills the process (tree) when the test ends early, e.g. on a timeout.</summary>
    private static ProcessKiller KillOnExit(Process process) => new(process);

    private static Process Start(params string[] arguments)
    {
        var info = new ProcessStartInfo(Shipgate)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {Shipgate}");
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var process = Start(arguments);
        using var killer = KillOnExit(process);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).WaitAsync(Timeout, cancellationToken);
        return (process.ExitCode, await stdout.WaitAsync(Timeout, cancellationToken), await stderr.WaitAsync(Timeout, cancellationToken));
    }

    private sealed class ProcessKiller(Process process) : IDisposable
    {
        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
