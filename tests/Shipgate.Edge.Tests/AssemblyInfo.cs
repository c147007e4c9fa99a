// The edge runs on Linux (process groups, /proc, bubblewrap); so do its tests.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
