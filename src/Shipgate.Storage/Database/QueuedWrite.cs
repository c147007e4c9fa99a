namespace Shipgate.Storage.Database;

/// <summary>
/// One write waiting for SQLite's writer: its work, and how to tell its caller the outcome once the
/// transaction that holds it has committed (or that it failed).
/// </summary>
internal sealed record QueuedWrite(Func<DbSession, Task> Run, Action Succeed, Action<Exception> Fail);
