using System.Runtime.Versioning;

namespace Shipgate.Engine.Tests.Actions;

/// <summary>Writes a small shell script that stands in for a toolchain program (a real process on PATH).</summary>
internal static class FakeExecutable
{
    [UnsupportedOSPlatform("windows")]
    public static string Create(string directory, string name, string script)
    {
        var path = TempDirectory.WriteFile(Path.Combine(directory, name), "#!/bin/sh\n" + script + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }
}
