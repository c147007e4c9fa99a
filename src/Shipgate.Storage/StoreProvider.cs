namespace Shipgate.Storage;

/// <summary>The database engine behind a <see cref="ShipgateStore"/>.</summary>
public enum StoreProvider
{
    /// <summary>An embedded SQLite file in WAL mode (the default, one server).</summary>
    Sqlite,

    /// <summary>A PostgreSQL database (several servers may share it).</summary>
    Postgres,
}
