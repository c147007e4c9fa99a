namespace Shipgate.Server.Ui;

/// <summary>
/// One project's grid on the release board, with each environment's waiting approvals, and those of the project's runs
/// that belong to no environment (a workflow's approval step, such as "Deploy 1.0.0 to production").
/// </summary>
public sealed record ProjectBoard(
    string Name,
    IReadOnlyList<string> Environments,
    IReadOnlyList<ServiceRow> Services,
    IReadOnlyDictionary<string, IReadOnlyList<WaitingApproval>> Waiting,
    IReadOnlyList<WaitingApproval> WaitingForRuns);
