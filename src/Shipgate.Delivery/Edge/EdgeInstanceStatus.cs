namespace Shipgate.Delivery.Edge;

/// <summary>One instance as the edge sees it now.</summary>
public sealed record EdgeInstanceStatus
{
    /// <summary>Stable name within the release: <c>VERSION-N</c>.</summary>
    public required string Id { get; init; }

    public required EdgeInstanceState State { get; init; }

    /// <summary>The process id of the instance's process group leader; null while not running.</summary>
    public int? Pid { get; init; }

    public int? Port { get; init; }

    /// <summary>How often the instance's process exited without being asked to.</summary>
    public int Crashes { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Why the last health check or start failed, one sentence; null when it passed.</summary>
    public string? LastError { get; init; }

    /// <summary>Requests being forwarded to it now.</summary>
    public int InFlight { get; init; }
}
