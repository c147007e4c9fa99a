namespace Shipgate.Engine.Runs;

/// <summary>How a step, job or run ended (GitHub's outcome/conclusion values).</summary>
public enum Conclusion
{
    Success,
    Failure,
    Cancelled,
    Skipped,
}
