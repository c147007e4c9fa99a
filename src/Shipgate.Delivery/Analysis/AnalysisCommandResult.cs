namespace Shipgate.Delivery.Analysis;

/// <summary>How an analysis command ended: its exit code (null when it did not end by itself), and its output's last line, masked.</summary>
public sealed record AnalysisCommandResult(int? ExitCode, bool TimedOut, string? LastLine);
