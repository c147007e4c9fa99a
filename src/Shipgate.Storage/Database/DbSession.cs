using System.Data.Common;

namespace Shipgate.Storage.Database;

/// <summary>A connection (and its transaction, if any) lent to one unit of work.</summary>
internal sealed class DbSession(DbConnection connection, DbTransaction? transaction, SqlDialect dialect)
{
    public SqlDialect Dialect => dialect;

    public StoreCommand Sql(string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return new StoreCommand(command, dialect);
    }
}
