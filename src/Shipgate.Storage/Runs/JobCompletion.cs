using Shipgate.Engine.Runs;

namespace Shipgate.Storage.Runs;

/// <summary>How a job ended.</summary>
public sealed record JobCompletion
{
    /// <summary>Before continue-on-error.</summary>
    public required Conclusion Outcome { get; init; }

    /// <summary>As <c>needs.&lt;id&gt;.result</c> shows it.</summary>
    public required Conclusion Conclusion { get; init; }

    public string? Reason { get; init; }

    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();
}
