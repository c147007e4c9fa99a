namespace Shipgate.Storage.Database.Migrations;

/// <summary>Every migration this Shipgate knows, in order. A new one is appended; none is ever edited.</summary>
internal static class StoreMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
        [Migration0001.Instance, Migration0002.Instance, Migration0003.Instance, Migration0004.Instance, Migration0005.Instance, Migration0006.Instance, Migration0007.Instance, Migration0008.Instance, Migration0009.Instance, Migration0010.Instance, Migration0011.Instance, Migration0012.Instance];

    public static int LatestVersion => All[^1].Version;
}
