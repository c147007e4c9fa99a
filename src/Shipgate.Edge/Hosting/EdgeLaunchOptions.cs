namespace Shipgate.Edge.Hosting;

/// <summary>
/// How to find or start a local edge: its state directory (its <c>edge.json</c> says where a running one listens), the
/// proxy's listen address, and the command that runs <c>shipgate</c> (default: this process's executable).
/// </summary>
public sealed record EdgeLaunchOptions
{
    public required string StateDirectory { get; init; }

    /// <summary><c>HOST:PORT</c> the proxy listens on. Default <c>127.0.0.1:8080</c>.</summary>
    public string Listen { get; init; } = "127.0.0.1:8080";

    /// <summary>The program and leading arguments that run the shipgate CLI; null: <c>Environment.ProcessPath</c>.</summary>
    public IReadOnlyList<string>? ShipgateCommand { get; init; }
}
