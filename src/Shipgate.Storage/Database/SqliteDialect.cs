using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Shipgate.Storage.Database;

/// <summary>
/// SQLite: <c>INTEGER PRIMARY KEY AUTOINCREMENT</c> ids, timestamps as fixed-width ISO 8601 UTC text
/// (sorts as it reads), no row locks (one writer at a time holds the database).
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    // SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY (https://www.sqlite.org/rescode.html).
    private const int ConstraintUnique = 2067;
    private const int ConstraintPrimaryKey = 1555;

    public static readonly SqliteDialect Instance = new();

    public override StoreProvider Provider => StoreProvider.Sqlite;

    protected override string IdType => "INTEGER PRIMARY KEY AUTOINCREMENT";

    protected override string TimestampType => "TEXT";

    protected override string BoolType => "INTEGER";

    protected override string BytesType => "BLOB";

    public override string SkipLocked => "";

    public override string ForUpdate => "";

    public override string? MigrationLock => null;

    public override string? ConcurrencyLock => null;

    public override System.Data.DbType TimestampDbType => System.Data.DbType.String;

    public override object ToDbTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public override DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal) =>
        DateTimeOffset.ParseExact(reader.GetString(ordinal), TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: ConstraintUnique or ConstraintPrimaryKey };
}
