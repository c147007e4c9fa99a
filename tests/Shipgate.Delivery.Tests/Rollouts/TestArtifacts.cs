using System.Formats.Tar;

namespace Shipgate.Delivery.Tests.Rollouts;

/// <summary>Artifacts for rollouts on the fake edge.</summary>
internal static class TestArtifacts
{
    /// <summary>A tar stream of one small file, as an artifact's files are sent to an edge.</summary>
    public static Stream OneFileTar()
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "a.txt") { DataStream = new MemoryStream("hi"u8.ToArray()) });
        }

        stream.Position = 0;
        return stream;
    }
}
