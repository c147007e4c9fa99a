using System.Net.Http.Headers;
using System.Text;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Runs;

/// <summary>
/// Issue #7, finding 5, against the real <c>shipgate up</c>: a project secret in a step's name, a job's name,
/// an error and a reason reaches no file of the data folder (the database included), no API answer and no
/// event stream unmasked.
/// </summary>
public sealed class SecretMaskingTests
{
    private const string Secret = "tok-5e1c7a9b3d";

    [Fact]
    public async Task SecretInNamesReasonsAndErrors_AfterARun_FoundNowhereInTheDataFolderTheApiOrTheStreams()
    {
        using var repository = new TestRepository();
        repository.Write(".github/workflows/masked.yml", """
            on: push
            env:
              TOKEN: ${{ secrets.TOKEN }}
            jobs:
              deploy:
                name: deploy ${{ github.event.head_commit.message }}
                runs-on: ubuntu-latest
                steps:
                  - name: deploy ${{ secrets.TOKEN }}
                    run: |
                      echo "using ${{ secrets.TOKEN }}"
                      echo "::error title=bad ${{ secrets.TOKEN }}::failed with ${{ secrets.TOKEN }}"
                  - name: check ${{ secrets.TOKEN }}
                    if: ${{ fromJSON(env.TOKEN) }}
                    run: echo never
                  - name: in ${{ secrets.TOKEN }}
                    if: always()
                    working-directory: ${{ secrets.TOKEN }}
                    run: echo never
            """);
        repository.Commit("workflow");
        await using var server = await ShipgateUp.StartAsync();
        Assert.Equal(0, (await server.RunAsync(["project", "add", "web", "--repo", repository.Root])).ExitCode);
        Assert.Equal(0, (await server.RunAsync(["secret", "set", "--project", "web", "TOKEN"], standardInput: Secret)).ExitCode);

        // A secret pasted into a commit message reaches the job's name through the event payload.
        repository.Write("README.md", "release");
        repository.Commit($"release {Secret}");
        using var client = new HttpClient { BaseAddress = server.Url, Timeout = TestTimeouts.Default };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.AdminToken);
        var run = await EventuallyAsync(async () =>
        {
            var runs = await client.GetStringAsync("/api/v1/runs?project=web", Ct);
            var id = System.Text.Json.JsonDocument.Parse(runs).RootElement.EnumerateArray().Select(r => (r.GetProperty("id").GetInt64(), r.GetProperty("status").GetString())).FirstOrDefault();
            return id.Item2 == "completed" ? id.Item1.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        }, "the push run to complete", TimeSpan.FromSeconds(90));

        var answers = new StringBuilder();
        foreach (var path in (string[])[$"/api/v1/runs/{run}", $"/api/v1/runs/{run}/events", $"/api/v1/runs/{run}/logs", "/api/v1/runs?project=web", "/api/v1/audit"])
        {
            answers.AppendLine(await client.GetStringAsync(path, Ct).DefaultTimeout());
        }

        var shown = await server.RunAsync(["runs", "show", run]);
        var logs = await server.RunAsync(["logs", run]);
        await server.StopAsync();

        Assert.Contains("deploy ***", answers.ToString(), StringComparison.Ordinal);
        Assert.Contains("deploy release ***", shown.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, answers.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, shown.Stdout + shown.Stderr + logs.Stdout + logs.Stderr, StringComparison.Ordinal);
        var needle = Encoding.UTF8.GetBytes(Secret);
        foreach (var path in Directory.EnumerateFileSystemEntries(server.DataDirectory, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(Secret, path, StringComparison.Ordinal);
            // The running local edge's admin socket is no file to read (ENXIO), and its empty edge.lock is held (flock).
            if (File.Exists(path) && Path.GetFileName(path) is not ("admin.sock" or "edge.lock"))
            {
                Assert.True(File.ReadAllBytes(path).AsSpan().IndexOf(needle) < 0, $"{path} holds the secret");
            }
        }
    }
}
