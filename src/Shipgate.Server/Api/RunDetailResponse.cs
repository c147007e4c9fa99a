namespace Shipgate.Server.Api;

/// <summary>A run with its jobs and their steps.</summary>
public sealed record RunDetailResponse(RunResponse Run, IReadOnlyList<JobResponse> Jobs);
