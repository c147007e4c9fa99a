using System.Data;
using System.Data.Common;

namespace Shipgate.Storage.Database;

/// <summary>
/// One SQL statement with its parameters, executed once and disposed. Every value goes through a
/// parameter, never into the SQL text.
/// </summary>
internal sealed class StoreCommand(DbCommand command, SqlDialect dialect)
{
    // Every parameter carries its type, also when it is null: PostgreSQL cannot infer the type of an
    // untyped NULL in a SELECT list (INSERT … SELECT), and a typed one costs nothing.
    public StoreCommand Add(string name, string? value) => Bind(name, DbType.String, value);

    public StoreCommand Add(string name, long? value) => Bind(name, DbType.Int64, value);

    public StoreCommand Add(string name, int? value) => Bind(name, DbType.Int32, value);

    public StoreCommand Add(string name, bool value) => Bind(name, DbType.Boolean, value);

    public StoreCommand Add(string name, byte[]? value) => Bind(name, DbType.Binary, value);

    public StoreCommand Add(string name, DateTimeOffset? value) =>
        Bind(name, dialect.TimestampDbType, value is { } time ? dialect.ToDbTimestamp(StoreClock.Truncate(time)) : null);

    /// <summary>Adds the parameter only when the statement uses it (<paramref name="condition"/>).</summary>
    public StoreCommand AddIf(bool condition, string name, string? value) => condition ? Add(name, value) : this;

    public StoreCommand AddIf(bool condition, string name, long? value) => condition ? Add(name, value) : this;

    public StoreCommand AddIf(bool condition, string name, DateTimeOffset? value) => condition ? Add(name, value) : this;

    private StoreCommand Bind(string name, DbType type, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return this;
    }

    /// <summary>Runs the statement and returns the number of rows it changed.</summary>
    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        await using (command)
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The first column of the first row, or null when there is no row or it is NULL.</summary>
    public async Task<object?> ScalarAsync(CancellationToken cancellationToken)
    {
        await using (command)
        {
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is DBNull ? null : value;
        }
    }

    public async Task<long> Int64Async(CancellationToken cancellationToken) =>
        Convert.ToInt64(await ScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);

    public async Task<IReadOnlyList<T>> ListAsync<T>(Func<Row, T> map, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        await EachAsync(row =>
        {
            list.Add(map(row));
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return list;
    }

    public async Task<T?> FirstOrDefaultAsync<T>(Func<Row, T> map, CancellationToken cancellationToken)
        where T : class
    {
        T? first = null;
        await EachAsync(row =>
        {
            first = map(row);
            return false;
        }, cancellationToken).ConfigureAwait(false);
        return first;
    }

    /// <summary>Streams the rows to <paramref name="visit"/> until it returns false.</summary>
    public async Task EachAsync(Func<Row, bool> visit, CancellationToken cancellationToken)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var row = new Row(reader, dialect);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!visit(row))
                {
                    break;
                }
            }
        }
    }
}
