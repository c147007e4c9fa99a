using System.Text.Json;

namespace Shipgate.Server.Api;

/// <summary>
/// One event of a run's stream, as stored and streamed. In server-sent events, <c>id</c> is
/// <see cref="Sequence"/> and <c>event</c> is <see cref="Kind"/>: run.started, job.started, step.started,
/// step.annotation, step.finished, job.finished, run.finished, approval.*, environment.* (deployment.*
/// later). Output lines are not events: the steps' logs stream from <c>/logs</c>. <see cref="Payload"/>
/// holds the kind's fields (camelCase). A run resumed after its server died has run.resumed
/// (<c>reason</c>, <c>lostOwner</c>, <c>lostJobs</c>), then a second run.started.
/// </summary>
public sealed record RunEventResponse(long Sequence, string Kind, DateTimeOffset At, JsonElement Payload);
