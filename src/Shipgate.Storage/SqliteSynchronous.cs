namespace Shipgate.Storage;

/// <summary>
/// SQLite's <c>synchronous</c> setting in WAL mode (docs/adr/0005-store-one-schema-sqlite-and-postgres.md).
/// </summary>
public enum SqliteSynchronous
{
    /// <summary>Each commit is fsynced: nothing committed is lost on a power cut or an OS crash. The default.</summary>
    Full,

    /// <summary>
    /// The WAL is fsynced at checkpoints only: nothing committed is lost when the process is killed, but
    /// the last commits can be lost (never corrupted) on a power cut.
    /// </summary>
    Normal,
}
