using System.Data.Common;

namespace Shipgate.Storage.Database;

/// <summary>A connection (and its transaction, if any) lent to one unit of work.</summary>
internal sealed class DbSession(DbConnection connection, DbTransaction? transaction, SqlDialect dialect)
{
    private List<KeyValuePair<object, Func<Task>>>? _afterCommit;

    public SqlDialect Dialect => dialect;

    public StoreCommand Sql(string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return new StoreCommand(command, dialect);
    }

    /// <summary>
    /// Runs <paramref name="action"/> once the transaction has committed, never when it rolls back. A later
    /// registration under the same <paramref name="key"/> replaces an earlier one, so the writes of one group
    /// commit that each register under a key cost one action (the audit log's checkpoint: one sync a commit).
    /// </summary>
    public void AfterCommit(object key, Func<Task> action) => (_afterCommit ??= []).Add(new(key, action));

    /// <summary>How many actions are registered: a savepoint notes it, and undoes what came after when it rolls back.</summary>
    internal int AfterCommitMark => _afterCommit?.Count ?? 0;

    internal void UndoAfterCommit(int mark) => _afterCommit?.RemoveRange(mark, _afterCommit.Count - mark);

    /// <summary>Runs the registered actions, the last one per key, in the order their keys were first registered.</summary>
    internal async Task RunAfterCommitAsync()
    {
        if (_afterCommit is null)
        {
            return;
        }

        var last = new Dictionary<object, Func<Task>>();
        foreach (var (key, action) in _afterCommit)
        {
            last[key] = action;
        }

        _afterCommit = null;
        foreach (var action in last.Values)
        {
            await action().ConfigureAwait(false);
        }
    }
}
