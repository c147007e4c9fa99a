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

    /// <summary>False: a started edge runs its instances unisolated (<c>--isolation none</c>). Default true.</summary>
    public bool Isolate { get; init; } = true;

    /// <summary>Directories a started edge's instances must not read (<c>--hide</c>): the server's or the run's data folder.</summary>
    public IReadOnlyList<string> Hidden { get; init; } = [];

    /// <summary>How long to wait for a started edge's admin API. Default 30 s.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
