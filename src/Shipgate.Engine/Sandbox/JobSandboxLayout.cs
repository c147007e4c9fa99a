namespace Shipgate.Engine.Sandbox;

/// <summary>
/// The directories a job's sandbox shows: its own (workspace, temp, home), the shared tool cache, and the run's
/// event payload (read-only). The rest of <see cref="DataDirectory"/> is hidden.
/// </summary>
internal sealed record JobSandboxLayout(string DataDirectory, string Workspace, string Temp, string Home, string ToolCache, string EventPath);
