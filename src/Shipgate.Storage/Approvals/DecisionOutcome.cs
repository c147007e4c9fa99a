namespace Shipgate.Storage.Approvals;

public enum DecisionOutcome
{
    /// <summary>The decision was recorded.</summary>
    Recorded,

    /// <summary>This user had already decided: the same person counts once; nothing changed.</summary>
    AlreadyDecided,

    /// <summary>The approval is approved, rejected or expired already; nothing changed.</summary>
    NotPending,

    NotFound,
}
