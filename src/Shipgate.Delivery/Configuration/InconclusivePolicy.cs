namespace Shipgate.Delivery.Configuration;

/// <summary>What an analysis step that ends <see cref="Analysis.AnalysisOutcome.Inconclusive"/> does: <c>on-inconclusive</c>.</summary>
public enum InconclusivePolicy
{
    /// <summary>Hold the current split and wait for <c>shipgate promote</c> or <c>abort</c> (the default).</summary>
    Pause,

    /// <summary>Treat it as a failure: roll back.</summary>
    Fail,

    /// <summary>Go on as if it had passed; the decision record still says it was inconclusive.</summary>
    Promote,
}
