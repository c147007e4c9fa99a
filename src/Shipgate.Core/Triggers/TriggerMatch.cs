namespace Shipgate.Core.Triggers;

/// <summary>Whether a workflow runs for an event, and why, in one sentence.</summary>
public sealed record TriggerMatch(bool Matches, string Reason);
