namespace Shipgate.Edge.Hosting;

/// <summary>How <c>shipgate edge</c> runs: the proxy's address, the admin listener, the state directory, the isolation.</summary>
public sealed record EdgeHostOptions
{
    /// <summary>The state directory: desired state, releases, logs, admin socket or token, <c>edge.json</c>.</summary>
    public required string StateDirectory { get; init; }

    /// <summary><c>HOST:PORT</c> the proxy listens on. Default <c>127.0.0.1:8080</c>.</summary>
    public string Listen { get; init; } = "127.0.0.1:8080";

    /// <summary><c>unix:PATH</c> or <c>127.0.0.1:PORT</c>; null: <c>unix:STATE/admin.sock</c>.</summary>
    public string? Admin { get; init; }

    /// <summary>True (the default): instances run in a bubblewrap sandbox as workflow steps do.</summary>
    public bool Isolate { get; init; } = true;

    /// <summary>Directories instances must not read besides the state directory (the server's data folder).</summary>
    public IReadOnlyList<string> Hidden { get; init; } = [];

    /// <summary>The user instances run as when the edge is root. Default <c>shipgate-runner</c>.</summary>
    public string RunnerUser { get; init; } = Engine.Sandbox.StepSandbox.DefaultRunnerUser;
}
