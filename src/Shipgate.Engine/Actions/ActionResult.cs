using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Actions;

/// <summary>The result of a built-in action: its conclusion and, on failure, one sentence for the log.</summary>
public sealed record ActionResult(Conclusion Conclusion, string? Message = null)
{
    public static readonly ActionResult Success = new(Conclusion.Success);

    public static ActionResult Failure(string message) => new(Conclusion.Failure, message);
}
