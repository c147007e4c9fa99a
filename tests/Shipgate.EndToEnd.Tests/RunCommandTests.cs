using System.Diagnostics;
using System.Text.Json;
using Shipgate.EndToEnd.Tests.Infrastructure;

namespace Shipgate.EndToEnd.Tests;

/// <summary><c>shipgate run</c> as a user meets it: the real executable, real git repositories, real processes and signals.</summary>
public sealed class RunCommandTests
{
    [Fact]
    public async Task Run_MissingWorkflowFile_OneSentenceAndExit2()
    {
        var result = await ShipgateCli.RunAsync(["run", "/nonexistent/ci.yml"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("shipgate: The workflow file '/nonexistent/ci.yml' does not exist.\n", result.Stderr);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("shipgate-runner")]
    public async Task Run_Isolate_StepsSeeNeitherTheDataDirectoryNorTheEnvironment(string? user)
    {
        // As root (the sandbox switches to the runner user), and as an ordinary user (a user namespace of its own).
        Assert.True(Environment.IsPrivilegedProcess, "this test needs root, as CI runs it");
        using var repo = new TempGitRepository();
        repo.Write("app.txt", "1\n");
        var workflow = repo.Write(".github/workflows/ci.yml", $$$"""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/checkout@v4
                  - run: |
                      if cat {{{repo.DataDirectory}}}/planted.txt; then exit 1; fi
                      test -z "${SHIPGATE_TEST_LEAK:-}"
                      echo 2 > app.txt && echo "me=$(id -un)"
            """);
        repo.Commit();
        Directory.CreateDirectory(repo.DataDirectory);
        File.WriteAllText(Path.Combine(repo.DataDirectory, "planted.txt"), "planted-secret");
        if (user is not null)
        {
            // A developer's own repository and data directory.
            Process.Start("chown", ["-R", user, repo.Root, repo.DataDirectory])!.WaitForExit();
        }

        var result = await ShipgateCli.RunAsync(
            ["run", workflow, "--data", repo.DataDirectory, "--isolate"],
            repo.Root,
            new Dictionary<string, string>
            {
                ["SHIPGATE_TEST_LEAK"] = "leak",
                ["HOME"] = repo.DataDirectory,
            },
            user: user);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("me=shipgate-runner", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("planted-secret", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_InvalidWorkflow_PositionedErrorsAndExit2WithoutRunningAnything()
    {
        using var repo = new TempGitRepository();
        var workflow = repo.Write(".github/workflows/ci.yml", """
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                stepz:
                  - run: touch ran
            """);
        repo.Commit();

        var result = await ShipgateCli.RunAsync(["run", workflow, "--data", repo.DataDirectory]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{workflow}:5:5: error:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("did you mean 'steps'", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(repo.DataDirectory));
    }

    [Fact]
    public async Task Run_Json_SummarizesJobsOutputsAndArtifactDigests()
    {
        using var repo = new TempGitRepository();
        repo.Write("app/main.txt", "hello\n");
        var workflow = repo.Write(".github/workflows/ci.yml", """
            name: CI
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                outputs:
                  version: ${{ steps.v.outputs.version }}
                steps:
                  - uses: actions/checkout@v4
                  - id: v
                    run: echo "version=1.2.3" >> "$GITHUB_OUTPUT"
                  - uses: actions/upload-artifact@v4
                    with:
                      name: build
                      path: app/
              check:
                needs: build
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/download-artifact@v4
                    with:
                      name: build
                      path: out
                  - run: test "$(cat out/main.txt)" = hello && test "${{ needs.build.outputs.version }}" = 1.2.3
            """);
        repo.Commit();

        var result = await ShipgateCli.RunAsync(["run", workflow, "--data", repo.DataDirectory, "--json"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var summary = JsonDocument.Parse(result.Stdout);
        var root = summary.RootElement;
        Assert.Equal("success", root.GetProperty("conclusion").GetString());
        var build = root.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("id").GetString() == "build");
        Assert.Equal("1.2.3", build.GetProperty("outputs").GetProperty("version").GetString());
        var artifact = Assert.Single(root.GetProperty("artifacts").EnumerateArray());
        Assert.Equal("build", artifact.GetProperty("name").GetString());
        Assert.StartsWith("sha256:", artifact.GetProperty("digest").GetString(), StringComparison.Ordinal);

        // Progress went to stderr so that stdout is the JSON alone.
        Assert.Contains("[check/", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_EventTheWorkflowDoesNotListen_WarnsAndRunsAnyway()
    {
        using var repo = new TempGitRepository();
        var workflow = repo.Write(".github/workflows/manual.yml", """
            on:
              push:
                branches: [release/*]
            jobs:
              hello:
                runs-on: ubuntu-latest
                steps:
                  - run: echo hello
            """);
        repo.Commit();

        var result = await ShipgateCli.RunAsync(["run", workflow, "--data", repo.DataDirectory]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("warning: branch 'main' does not match", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("hello", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DefaultDataDirectory_LeavesOnlyItsGitignoreUntracked()
    {
        using var repo = new TempGitRepository();
        var workflow = repo.Write(".shipgate/workflows/ci.yml", """
            on: push
            jobs:
              hello:
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/checkout@v4
                  - run: echo hello > out.txt
            """);
        repo.Commit();

        var result = await ShipgateCli.RunAsync(["run", workflow]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(Directory.Exists(Path.Combine(repo.Root, ".shipgate", "runs")));
        Assert.Equal("?? .shipgate/.gitignore", repo.Git("status", "--porcelain", "--untracked-files=all").Trim());
    }

    [Fact]
    public async Task Run_FailingStep_Exit1AndDependentsSkipped()
    {
        using var repo = new TempGitRepository();
        var workflow = repo.Write(".github/workflows/ci.yml", """
            on: push
            jobs:
              test:
                runs-on: ubuntu-latest
                steps:
                  - run: exit 7
              deploy:
                needs: test
                runs-on: ubuntu-latest
                steps:
                  - run: touch "${{ runner.temp }}/deployed"
            """);
        repo.Commit();

        var result = await ShipgateCli.RunAsync(["run", workflow, "--data", repo.DataDirectory, "--json"]);

        Assert.Equal(1, result.ExitCode);
        using var summary = JsonDocument.Parse(result.Stdout);
        var jobs = summary.RootElement.GetProperty("jobs").EnumerateArray().ToDictionary(j => j.GetProperty("id").GetString()!, j => j.GetProperty("conclusion").GetString());
        Assert.Equal("failure", jobs["test"]);
        Assert.Equal("skipped", jobs["deploy"]);
        Assert.Contains("exit code 7", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Sigint_KillsTheStepTreeThenRunsAlwaysStepsAndEndsCancelled()
    {
        using var repo = new TempGitRepository();
        var marks = Path.Combine(repo.Root + ".marks");
        Directory.CreateDirectory(marks);
        var workflow = repo.Write(".github/workflows/ci.yml", $$$"""
            on: push
            jobs:
              long:
                runs-on: ubuntu-latest
                steps:
                  - run: |
                      sleep 300 &
                      echo $! > {{{marks}}}/child
                      wait
                  - if: always()
                    run: echo cleaned > {{{marks}}}/always
                  - run: touch {{{marks}}}/never
            """);
        repo.Commit();

        using var process = ShipgateCli.Start(["run", workflow, "--data", repo.DataDirectory, "--json"]);
        process.StandardInput.Close();
        var stdout = new System.Text.StringBuilder();
        var stderr = new System.Text.StringBuilder();
        var pumps = Task.WhenAll(ShipgateCli.PumpAsync(process.StandardOutput, stdout), ShipgateCli.PumpAsync(process.StandardError, stderr));
        try
        {
            var childFile = Path.Combine(marks, "child");
            await WaitUntilAsync(() => File.Exists(childFile) && File.ReadAllText(childFile).Trim().Length > 0, TimeSpan.FromMinutes(3));
            var child = int.Parse(File.ReadAllText(childFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);

            Assert.Equal(0, Kill(process.Id, "INT"));
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(3), TestContext.Current.CancellationToken);
            await pumps.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

            Assert.Equal(1, process.ExitCode);
            using var summary = JsonDocument.Parse(stdout.ToString());
            Assert.Equal("cancelled", summary.RootElement.GetProperty("conclusion").GetString());
            Assert.Equal("cleaned\n", File.ReadAllText(Path.Combine(marks, "always")));
            Assert.False(File.Exists(Path.Combine(marks, "never")));
            Assert.False(Directory.Exists($"/proc/{child}") && !IsZombie(child), "the step's background child survived the cancellation");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            Directory.Delete(marks, recursive: true);
        }
    }

    [Fact]
    public async Task Run_Secrets_MaskedInOutputAndNeverWrittenToDisk()
    {
        using var repo = new TempGitRepository();
        var workflow = repo.Write(".github/workflows/ci.yml", """
            on: push
            jobs:
              leak:
                runs-on: ubuntu-latest
                steps:
                  - run: |
                      echo "token=$TOKEN"
                      echo "json={\"k\":\"$(printf '%s' "$TOKEN" | sed 's/"/\\"/g')\"}"
                      printf '%s\n' "$CERT"
                      echo "::add-mask::dynamic-value-123"
                      echo "later dynamic-value-123"
                      echo "out=$TOKEN" >> "$GITHUB_OUTPUT"
                    env:
                      TOKEN: ${{ secrets.TOKEN }}
                      CERT: ${{ secrets.CERT }}
            """);
        repo.Commit();
        var secretFile = repo.Root + ".secrets.env";
        File.WriteAllText(secretFile, "CERT=\"-----BEGIN-----\nline-one-secret\nline-two-secret\n-----END-----\"\n");
        try
        {
            var result = await ShipgateCli.RunAsync(
                ["run", workflow, "--data", repo.DataDirectory, "--secret-file", secretFile],
                environment: new Dictionary<string, string> { ["SHIPGATE_SECRET_TOKEN"] = "s3cr\"et-value" });

            Assert.True(result.ExitCode == 0, result.ToString());
            string[] secrets = ["s3cr\"et-value", "s3cr\\\"et-value", "line-one-secret", "line-two-secret", "dynamic-value-123"];
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, result.Stdout, StringComparison.Ordinal);
                foreach (var file in Directory.EnumerateFiles(repo.DataDirectory, "*", SearchOption.AllDirectories))
                {
                    Assert.DoesNotContain(secret, File.ReadAllText(file), StringComparison.Ordinal);
                }
            }

            Assert.Contains("token=***", result.Stdout, StringComparison.Ordinal);
            Assert.Contains("later ***", result.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secretFile);
        }
    }

    [Theory]
    [InlineData(null, "--approve-as")]
    [InlineData("mallory", "mallory is not one of the approvers (alice, bob)")]
    public async Task Run_ApprovalWithoutAnApprover_FailsAtOnceSayingWhy(string? approveAs, string expected)
    {
        using var repo = new TempGitRepository();
        var workflow = repo.Write(".github/workflows/cd.yml", """
            on: push
            jobs:
              approval:
                runs-on: ubuntu-latest
                steps:
                  - uses: trstringer/manual-approval@v1
                    with:
                      approvers: alice,bob
                      minimum-approvals: 1
              deploy:
                needs: approval
                runs-on: ubuntu-latest
                steps:
                  - run: echo deployed
            """);
        repo.Commit();
        string[] arguments = approveAs is null
            ? ["run", workflow, "--data", repo.DataDirectory]
            : ["run", workflow, "--data", repo.DataDirectory, "--approve-as", approveAs];

        var result = await ShipgateCli.RunAsync(arguments, timeout: TimeSpan.FromMinutes(3));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("deployed", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_StepPrintingHundredsOfMegabytes_KeepsMemoryBounded()
    {
        using var repo = new TempGitRepository();
        var workflow = repo.Write(".github/workflows/loud.yml", """
            on: push
            jobs:
              loud:
                runs-on: ubuntu-latest
                steps:
                  - run: yes 'a line of output that is repeated many times over' | head -c 300000000
                  - run: head -c 50000000 /dev/zero | tr '\0' 'x'
            """);
        repo.Commit();

        using var process = ShipgateCli.Start(["run", workflow, "--data", repo.DataDirectory]);
        process.StandardInput.Close();
        var drain = Task.WhenAll(DrainAsync(process.StandardOutput), DrainAsync(process.StandardError));
        long peakKilobytes = 0;
        while (!process.HasExited)
        {
            peakKilobytes = Math.Max(peakKilobytes, PeakResidentKilobytes(process.Id));
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);
        await drain.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(0, process.ExitCode);
        // All 350 MB went through shipgate; a step's log keeps its first 100 MB of output (the default bound, counted
        // without the log's timestamps) and says what it dropped; the second step's 50 MB are kept whole.
        var logs = Directory.EnumerateFiles(repo.DataDirectory, "*.log", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, logs.Count);
        Assert.InRange(new FileInfo(logs[0]).Length, 100_000_000, 200_000_000);
        Assert.Contains("reached its limit of 100000000 bytes", Tail(logs[0]), StringComparison.Ordinal);
        Assert.InRange(new FileInfo(logs[1]).Length, 50_000_000, 60_000_000);
        Assert.DoesNotContain("reached its limit", Tail(logs[1]), StringComparison.Ordinal);
        Assert.True(peakKilobytes < 300 * 1024, $"shipgate peaked at {peakKilobytes / 1024} MB resident");
    }

    private static string Tail(string path)
    {
        using var file = File.OpenRead(path);
        file.Seek(-Math.Min(4096, file.Length), SeekOrigin.End);
        using var reader = new StreamReader(file);
        return reader.ReadToEnd();
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        var buffer = new char[64 * 1024];
        while (await reader.ReadAsync(buffer) > 0)
        {
        }
    }

    private static long PeakResidentKilobytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Trim().StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static int Kill(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        return kill.ExitCode;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException("the condition did not become true in time");
            }

            await Task.Delay(50);
        }
    }
}
