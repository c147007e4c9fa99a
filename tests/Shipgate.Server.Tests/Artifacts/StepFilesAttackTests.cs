using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Artifacts;

/// <summary>
/// A developer's workflow against the real <c>shipgate up</c> that tries to take the server's files away as an
/// artifact through symbolic links, or to flood the server's disk through its log.
/// </summary>
public sealed class StepFilesAttackTests
{
    [Fact]
    public async Task UploadArtifact_LinksToTheDataFolderOutOfTheWorkspaceAndHostFiles_AreRefusedByNameAndTheRestIsUploaded()
    {
        using var repository = new TestRepository();
        repository.Write(".github/workflows/leak.yml", """
            on: workflow_dispatch
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - run: |
                      mkdir dist && echo app > dist/app.js
                      data=$(cd "$RUNNER_TEMP/../../../../.." && pwd)
                      ln -s "$data/secret.key" dist/secret.key
                      ln -s ../../../../../../secret.key dist/relative.key
                      ln -s /etc/passwd dist/passwd
                      ln -s "$data" dist/data
                  - uses: actions/upload-artifact@v4
                    with:
                      name: web
                      path: dist
                  - uses: actions/upload-artifact@v4
                    with:
                      name: host
                      path: /etc/shadow
            """);
        repository.Commit("leak");
        await using var up = await ShipgateUp.StartAsync();
        var run = await up.DispatchAsync(repository, "leak.yml");

        var logs = await up.RunAsync(["logs", run, "--follow"]);
        var output = Directory.CreateTempSubdirectory("shipgate-leak-").FullName;
        var download = await up.RunAsync(["artifacts", run, "web", "--output", output]);

        Assert.True(logs.ExitCode == 0, logs.ToString());
        foreach (var link in new[] { "secret.key", "relative.key", "passwd", "data" })
        {
            Assert.Contains($"dist/{link} is not uploaded: a symbolic link on its path leads out of the workspace.", logs.Stdout, StringComparison.Ordinal);
        }

        // The upload runs in the server, with its rights: it reads for a sandboxed step only what the step could reach.
        Assert.Contains("/etc/shadow is not uploaded: it is outside the job's directories, which are all a sandboxed step can reach.", logs.Stdout, StringComparison.Ordinal);
        Assert.True(download.ExitCode == 0, download.ToString());
        Assert.Equal(["app.js"], Directory.EnumerateFileSystemEntries(output, "*", SearchOption.AllDirectories).Select(Path.GetFileName));
        Directory.Delete(output, recursive: true);
    }

    [Fact]
    public async Task StepLog_PastTheConfiguredBound_IsTruncatedWithOneNoteAndTheStepGoesOn()
    {
        using var repository = new TestRepository();
        repository.Write(".github/workflows/flood.yml", """
            on: workflow_dispatch
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - run: for i in $(seq 200); do printf '%099d\n' $i; done; echo flood-$((1+1))-end
                  - run: echo next step
            """);
        repository.Commit("flood");
        var data = Directory.CreateTempSubdirectory("shipgate-flood-").FullName;
        await using (var up = await ShipgateUp.StartOnAsync(data, Ports.Free(), new Dictionary<string, string> { ["Shipgate__MaxStepLogBytes"] = "5000" }))
        {
            var run = await up.DispatchAsync(repository, "flood.yml");

            var logs = await up.RunAsync(["logs", run, "--follow"]);
            var detail = await up.JsonAsync(["runs", "show", run], ApiJsonContext.Default.RunDetailResponse);

            Assert.True(logs.ExitCode == 0, logs.ToString());
            Assert.Equal("success", detail.Run.Conclusion);
            Assert.Contains("build | next step", logs.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("flood-2-end", logs.Stdout, StringComparison.Ordinal);
            var log = Directory.EnumerateFiles(data, "*.log", SearchOption.AllDirectories).Select(File.ReadAllLines).Single(l => l.Any(line => line.EndsWith("00001", StringComparison.Ordinal)));
            Assert.True(log.Length < 100, $"{log.Length} lines kept");
            Assert.Matches(@"##\[warning\]The step's log reached its limit of 5000 bytes: the last \d+ bytes \(\d+ lines\) of its output were dropped\.$", log[^1]);
        }

        Directory.Delete(data, recursive: true);
    }
}
