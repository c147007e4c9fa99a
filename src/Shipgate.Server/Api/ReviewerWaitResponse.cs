namespace Shipgate.Server.Api;

/// <summary>A reviewer's decisions in the period and the time from each approval's request to the reviewer's decision.</summary>
public sealed record ReviewerWaitResponse(string Reviewer, int Approved, int Rejected, DurationStatsResponse Wait);
