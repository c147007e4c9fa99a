namespace Shipgate.Core.Expressions;

/// <summary>The state of the current job, for the status functions.</summary>
public enum JobStatus
{
    Success,
    Failure,
    Cancelled,
}
