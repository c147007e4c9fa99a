namespace Shipgate.Engine.Runs;

/// <summary>
/// Something that happened in a run. <see cref="Sequence"/> numbers the run's events from 1 without
/// gaps, so a consumer that resumes a stream can ask for the events after the last one it saw.
/// </summary>
public abstract record RunEvent
{
    public required string RunId { get; init; }

    public required long Sequence { get; init; }

    public required DateTimeOffset Timestamp { get; init; }
}
