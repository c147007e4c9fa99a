namespace Shipgate.Server.Approvals;

/// <summary>How a reviewer's decision ended, as the API answers it.</summary>
internal enum DecisionOutcomeKind
{
    Recorded,
    CountedOnce,
    NotFound,
    NotPermitted,
    Conflict,
    Invalid,
}
