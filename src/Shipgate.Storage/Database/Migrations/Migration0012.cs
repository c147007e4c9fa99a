namespace Shipgate.Storage.Database.Migrations;

/// <summary>
/// Delivery insights (issue #11, ADR 0033): the time of a release's commit as git recorded it, read when the release is
/// recorded, so lead time for changes runs from the commit to the deployment. Releases recorded before have none and
/// are left out of lead time (the insights say how many).
/// </summary>
internal static class Migration0012
{
    public static readonly Migration Instance = new(12, "commit time of releases", """
        ALTER TABLE releases ADD COLUMN committed_at {timestamp};
        """);
}
