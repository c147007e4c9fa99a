namespace Shipgate.Edge.State;

/// <summary>
/// An instance as last started: the process to adopt after a restart of the edge (its pid and the start time the
/// kernel gives it in <c>/proc/PID/stat</c>, so that a recycled pid is not mistaken for it) and its port.
/// </summary>
internal sealed record PersistedInstance
{
    public required string Id { get; init; }

    public int? Pid { get; init; }

    public long? ProcessStartTime { get; init; }

    public int? Port { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public int Crashes { get; init; }
}
