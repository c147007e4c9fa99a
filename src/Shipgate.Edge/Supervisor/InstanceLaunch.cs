namespace Shipgate.Edge.Supervisor;

/// <summary>What one start of an instance needs: its command, release directory, port, environment and files.</summary>
internal sealed record InstanceLaunch(
    string Command,
    string ReleaseDirectory,
    IReadOnlyDictionary<string, string> Environment,
    string LogFile,
    string Home,
    string Temp);
