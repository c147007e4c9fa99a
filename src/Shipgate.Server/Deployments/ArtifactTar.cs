using System.Formats.Tar;
using System.IO.Pipelines;
using Shipgate.Engine.Artifacts;

namespace Shipgate.Server.Deployments;

/// <summary>
/// An artifact of the store as a tar stream, for the edge's <c>PUT /v1/artifacts/{digest}</c>: regular files only,
/// with their relative paths and modes, written while the edge reads (nothing is staged on disk).
/// </summary>
internal static class ArtifactTar
{
    /// <summary>The tar of artifact <paramref name="digest"/>; throws <see cref="FileNotFoundException"/> when the store lacks it.</summary>
    public static Stream Open(ArtifactStore store, string digest)
    {
        var manifest = store.OpenManifest(digest) ?? throw new FileNotFoundException($"The artifact store has no artifact {digest}.");
        var pipe = new Pipe();
        _ = WriteAsync(store, manifest, pipe.Writer);
        return pipe.Reader.AsStream();
    }

    private static async Task WriteAsync(ArtifactStore store, ArtifactManifest manifest, PipeWriter pipe)
    {
        try
        {
            var output = pipe.AsStream(leaveOpen: true);
            await using (output.ConfigureAwait(false))
            {
                var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
                await using (writer.ConfigureAwait(false))
                {
                    foreach (var file in manifest.Files)
                    {
                        var content = store.OpenFile(file.Digest);
                        await using (content.ConfigureAwait(false))
                        {
                            var entry = new PaxTarEntry(TarEntryType.RegularFile, file.Path)
                            {
                                DataStream = content,
                                Mode = file.Executable
                                    ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
                                    : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                            };
                            await writer.WriteEntryAsync(entry).ConfigureAwait(false);
                        }
                    }
                }
            }

            await pipe.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The reader (the edge upload) sees the failure as an IOException of the stream it reads.
            await pipe.CompleteAsync(new IOException($"The artifact could not be read: {ex.Message}", ex)).ConfigureAwait(false);
        }
    }
}
