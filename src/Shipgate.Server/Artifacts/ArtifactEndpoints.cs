using System.Formats.Tar;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Shipgate.Engine.Artifacts;
using Shipgate.Server.Api;
using Shipgate.Server.Auth;
using Shipgate.Server.Hosting;

namespace Shipgate.Server.Artifacts;

/// <summary>
/// <c>/api/v1/runs/{id}/artifacts</c>: the artifacts a run uploaded, read from the content-addressed
/// artifact store in the data directory (what the run wrote there stays readable after a crash), and one
/// artifact's files as a tar archive streamed from the stored blobs, a file at a time.
/// </summary>
internal static class ArtifactEndpoints
{
    /// <summary>The media type of a download: a POSIX (pax) tar of the artifact's files, with their modes.</summary>
    public const string TarMediaType = "application/x-tar";

    private const UnixFileMode Regular = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode Executable = Regular | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/runs/{id:long}/artifacts", ListAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Artifacts").Produces<ArtifactResponse[]>();
        api.MapGet("/runs/{id:long}/artifacts/{name}", DownloadAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Artifacts")
            .Produces(StatusCodes.Status200OK, typeof(string), TarMediaType)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The artifact's files as a tar archive (paths relative to the artifact's root, modes 0644 or 0755), streamed; the ETag is the artifact's digest.");
    }

    private static async Task<IResult> ListAsync(long id, ServerStore store, IOptions<ServerOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await store.Store.Runs.GetRunAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return Problems.NotFound($"There is no run {id}.");
        }

        var jobs = (await store.Store.Runs.ListArtifactsAsync(id, cancellationToken).ConfigureAwait(false)).ToDictionary(a => a.Name, StringComparer.Ordinal);
        var artifacts = Store(options, time).ListRun(RunKey(id));
        return TypedResults.Ok(artifacts
            .Select(a => new ArtifactResponse(
                a.Name,
                a.Size,
                a.Digest,
                a.FileCount,
                jobs.TryGetValue(a.Name, out var recorded) && recorded.Digest == a.Digest ? recorded.JobKey : null,
                a.CreatedAt,
                a.ExpiresAt))
            .ToArray());
    }

    private static async Task DownloadAsync(long id, string name, HttpContext context, ServerStore store, IOptions<ServerOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await store.Store.Runs.GetRunAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            await Problems.Write(context, StatusCodes.Status404NotFound, "Not found", $"There is no run {id}.").ConfigureAwait(false);
            return;
        }

        var artifacts = Store(options, time);
        if (artifacts.Find(RunKey(id), name) is not { } artifact || artifacts.OpenManifest(artifact.Digest) is not { } manifest)
        {
            await Problems.Write(context, StatusCodes.Status404NotFound, "Not found", $"Run {id} has no artifact '{name}'.").ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        response.ContentType = TarMediaType;
        response.Headers.ETag = $"\"{artifact.Digest}\"";
        response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = name + ".tar", DispositionType = "attachment" }.ToString();

        // One blob open at a time and copied through the response body: flat memory for any size.
        var writer = new TarWriter(response.Body, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            foreach (var file in manifest.Files)
            {
                var content = artifacts.OpenFile(file.Digest);
                await using (content.ConfigureAwait(false))
                {
                    var entry = new PaxTarEntry(TarEntryType.RegularFile, file.Path)
                    {
                        Mode = file.Executable ? Executable : Regular,
                        ModificationTime = artifact.CreatedAt,
                        DataStream = content,
                    };
                    await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private static ArtifactStore Store(IOptions<ServerOptions> options, TimeProvider time) => ArtifactStore.ForDataDirectory(options.Value.DataDirectory!, time);

    /// <summary>The run's id in the artifact store: the engine's run id, which the server sets to the stored run's id.</summary>
    private static string RunKey(long id) => id.ToString(CultureInfo.InvariantCulture);
}
