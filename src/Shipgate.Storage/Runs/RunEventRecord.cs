namespace Shipgate.Storage.Runs;

/// <summary>
/// One entry of a run's append-only event stream. <see cref="Sequence"/> numbers the run's events from 1
/// without gaps; a client that resumes asks for the events after the last sequence it saw.
/// <see cref="Kind"/> is a dotted name: <c>run.started</c>, <c>job.finished</c>, <c>approval.requested</c>…
/// </summary>
public sealed record RunEventRecord(long RunId, long Sequence, string Kind, string PayloadJson, DateTimeOffset At);
