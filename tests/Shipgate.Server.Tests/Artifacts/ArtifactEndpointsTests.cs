using System.Formats.Tar;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Artifacts;

public sealed class ArtifactEndpointsTests
{
    private const string Workflow = """
        on: workflow_dispatch
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: actions/upload-artifact@v4
                with:
                  name: bundle
                  path: payload/
        """;

    private const string Script = "#!/bin/sh\necho run\n";

    [Fact]
    public async Task Download_UploadedArtifact_SameBytesAndModesAsUploaded()
    {
        var data = new byte[300_000];
        new Random(3).NextBytes(data);
        using var repository = Repository(data);
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var run = await server.DispatchAsync("web", "artifacts.yml");
        Assert.Equal("success", (await server.WaitForCompletedRunAsync(run.Id)).Conclusion);
        var viewer = await server.CreateUserAsync("victor", "viewer");
        using var client = server.ClientWith(viewer);

        var listed = await EventuallyAsync(
            async () => (await client.GetFromJsonAsync($"/api/v1/runs/{run.Id}/artifacts", ApiJsonContext.Default.ArtifactResponseArray, Ct).DefaultTimeout())!.FirstOrDefault(a => a.Job is not null),
            "the artifact's job to be recorded");
        using var response = await client.GetAsync($"/api/v1/runs/{run.Id}/artifacts/bundle", HttpCompletionOption.ResponseHeadersRead, Ct).DefaultTimeout();
        var files = await ReadTarAsync(await response.Content.ReadAsStreamAsync(Ct).DefaultTimeout());

        Assert.Equal("bundle", listed.Name);
        Assert.Equal("build", listed.Job);
        Assert.Equal(2, listed.Files);
        Assert.Equal(data.Length + Script.Length, listed.Size);
        Assert.StartsWith("sha256:", listed.Digest, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-tar", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"\"{listed.Digest}\"", response.Headers.ETag?.Tag);
        Assert.Equal(["bin/run.sh", "data.bin"], files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(data, files["data.bin"].Content);
        Assert.Equal(Script, System.Text.Encoding.UTF8.GetString(files["bin/run.sh"].Content));
        Assert.True(files["bin/run.sh"].Mode.HasFlag(UnixFileMode.UserExecute));
        Assert.False(files["data.bin"].Mode.HasFlag(UnixFileMode.UserExecute));
    }

    [Fact]
    public async Task Download_UnknownNameOrRun_404WithASentence()
    {
        using var repository = Repository([1, 2, 3]);
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var run = await server.DispatchAsync("web", "artifacts.yml");
        await server.WaitForCompletedRunAsync(run.Id);
        using var client = server.AdminClient();

        using var unknownName = await client.GetAsync($"/api/v1/runs/{run.Id}/artifacts/nope", Ct).DefaultTimeout();
        using var unknownRun = await client.GetAsync("/api/v1/runs/999/artifacts/bundle", Ct).DefaultTimeout();
        using var unknownRunList = await client.GetAsync("/api/v1/runs/999/artifacts", Ct).DefaultTimeout();
        using var anonymous = await server.Client.GetAsync($"/api/v1/runs/{run.Id}/artifacts/bundle", Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, unknownName.StatusCode);
        Assert.Equal($"Run {run.Id} has no artifact 'nope'.", (await unknownName.Content.ReadFromJsonAsync(ApiJsonContext.Default.ApiProblem, Ct).DefaultTimeout())!.Detail);
        Assert.Equal(HttpStatusCode.NotFound, unknownRun.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownRunList.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task ArtifactsCommand_ListThenDownload_UnpacksTheFilesWithTheirModes()
    {
        var data = new byte[70_000];
        new Random(5).NextBytes(data);
        using var repository = Repository(data);
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var run = await server.DispatchAsync("web", "artifacts.yml");
        await server.WaitForCompletedRunAsync(run.Id);
        var id = run.Id.ToString(CultureInfo.InvariantCulture);
        var into = Path.Combine(server.DataDirectory, "downloaded");

        var listed = await ShipgateProcess.RunAsync(["artifacts", id], ShipgateProcess.For(server, server.AdminToken));
        var downloaded = await ShipgateProcess.RunAsync(["artifacts", id, "bundle", "-o", into], ShipgateProcess.For(server, server.AdminToken));
        var missing = await ShipgateProcess.RunAsync(["artifacts", id, "nope", "-o", into], ShipgateProcess.For(server, server.AdminToken));

        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Contains("bundle", listed.Stdout, StringComparison.Ordinal);
        Assert.True(downloaded.ExitCode == 0, downloaded.ToString());
        Assert.Equal(data, File.ReadAllBytes(Path.Combine(into, "data.bin")));
        Assert.Equal(Script, File.ReadAllText(Path.Combine(into, "bin", "run.sh")));
        Assert.True(File.GetUnixFileMode(Path.Combine(into, "bin", "run.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal(4, missing.ExitCode);
        Assert.Contains("has no artifact 'nope'", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_ArtifactEndpoints_ListAsJsonAndDownloadAsTar()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Client.GetAsync("/openapi/v1.json", Ct).DefaultTimeout();
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct).DefaultTimeout());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.GetProperty("/api/v1/runs/{id}/artifacts").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(paths.GetProperty("/api/v1/runs/{id}/artifacts/{name}").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/x-tar", out _));
    }

    private static TestRepository Repository(byte[] data)
    {
        var repository = new TestRepository();
        repository.Write(".github/workflows/artifacts.yml", Workflow);
        repository.Write("payload/bin/run.sh", Script);
        File.SetUnixFileMode(Path.Combine(repository.Root, "payload/bin/run.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllBytes(Path.Combine(repository.Root, "payload", "data.bin"), data);
        repository.Commit("payload");
        return repository;
    }

    private static async Task<Dictionary<string, (byte[] Content, UnixFileMode Mode)>> ReadTarAsync(Stream stream)
    {
        var files = new Dictionary<string, (byte[], UnixFileMode)>(StringComparer.Ordinal);
        await using var reader = new TarReader(stream);
        while (await reader.GetNextEntryAsync(copyData: true, Ct).AsTask().DefaultTimeout() is { } entry)
        {
            using var content = new MemoryStream();
            if (entry.DataStream is not null)
            {
                await entry.DataStream.CopyToAsync(content, Ct).DefaultTimeout();
            }

            files[entry.Name] = (content.ToArray(), entry.Mode);
        }

        return files;
    }
}
