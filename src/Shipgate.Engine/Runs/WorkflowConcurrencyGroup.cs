namespace Shipgate.Engine.Runs;

/// <summary>A workflow's <c>concurrency</c> evaluated for one run: the group's name and whether a newcomer cancels the running run.</summary>
public sealed record WorkflowConcurrencyGroup(string Group, bool CancelInProgress);
