namespace Shipgate.Server.Api;

/// <summary>The median and 90th percentile (linear interpolation between ranks) of <see cref="Count"/> durations, in seconds.</summary>
public sealed record DurationStatsResponse(double MedianSeconds, double P90Seconds, int Count);
