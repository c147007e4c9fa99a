namespace Shipgate.Server.Ui;

/// <summary>One service's row: a cell per environment of its project, in the project's column order (null: never deployed there).</summary>
public sealed record ServiceRow(string Service, IReadOnlyList<BoardCell?> Cells);
