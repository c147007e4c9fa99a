namespace Shipgate.Storage.Database.Migrations;

/// <summary>
/// The keyed audit log: each entry's HMAC-SHA256 with the key in <c>DATA/audit.key</c> (ADR 0014). Entries
/// written before have none; the store seals them with a keyed entry when it opens.
/// </summary>
internal static class Migration0003
{
    public static readonly Migration Instance = new(3, "keyed audit entries", """
        ALTER TABLE audit_log ADD COLUMN mac TEXT;
        """);
}
