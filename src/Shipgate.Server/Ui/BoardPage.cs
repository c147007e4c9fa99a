namespace Shipgate.Server.Ui;

/// <summary>The release board: one grid per project (environments as columns, services as rows).</summary>
public sealed record BoardPage(IReadOnlyList<ProjectBoard> Projects, DateTimeOffset Now);
