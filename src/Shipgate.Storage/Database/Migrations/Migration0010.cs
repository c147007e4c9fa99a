namespace Shipgate.Storage.Database.Migrations;

/// <summary>
/// Flags in <c>shipgate.yml</c> (ADR 0026): the file's flags for the environment as the server last applied them, so a
/// flag still equal to it follows the file and one changed at run time is kept as drift.
/// </summary>
internal static class Migration0010
{
    public static readonly Migration Instance = new(10, "flag baselines from shipgate.yml", """
        ALTER TABLE flag_documents ADD COLUMN baseline TEXT;
        """);
}
