namespace Shipgate.Storage.Database.Migrations;

/// <summary>One step of the schema: its version, what it does, and its SQL with type placeholders (<see cref="SqlDialect.Translate"/>).</summary>
internal sealed record Migration(int Version, string Description, string Sql);
