using System.Data.Common;

namespace Shipgate.Storage.Database;

/// <summary>The current row of a query, read by column position, with the dialect's timestamps.</summary>
internal readonly struct Row(DbDataReader reader, SqlDialect dialect)
{
    public string String(int ordinal) => reader.GetString(ordinal);

    public string? NullableString(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public long Int64(int ordinal) => reader.GetInt64(ordinal);

    public long? NullableInt64(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public int Int32(int ordinal) => reader.GetInt32(ordinal);

    public int? NullableInt32(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);

    public bool Bool(int ordinal) => reader.GetBoolean(ordinal);

    public byte[]? NullableBytes(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<byte[]>(ordinal);

    public DateTimeOffset Time(int ordinal) => dialect.ReadTimestamp(reader, ordinal);

    public DateTimeOffset? NullableTime(int ordinal) => reader.IsDBNull(ordinal) ? null : dialect.ReadTimestamp(reader, ordinal);
}
