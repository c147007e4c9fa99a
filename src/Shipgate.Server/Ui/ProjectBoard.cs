namespace Shipgate.Server.Ui;

/// <summary>One project's grid on the release board, with each environment's waiting approvals.</summary>
public sealed record ProjectBoard(
    string Name,
    IReadOnlyList<string> Environments,
    IReadOnlyList<ServiceRow> Services,
    IReadOnlyDictionary<string, IReadOnlyList<WaitingApproval>> Waiting);
