namespace Shipgate.Storage.Runs;

/// <summary>
/// A run or job whose runner stopped renewing its lease (it crashed, or the server was killed): found by
/// <see cref="WorkQueue.FindExpiredLeasesAsync"/> and ended with <see cref="WorkQueue.EndLostRunAsync"/>
/// or <see cref="WorkQueue.EndLostJobAsync"/>.
/// <see cref="JobId"/> is null when the lease is the run's.
/// </summary>
public sealed record ExpiredLease(long RunId, long? JobId, RunStatus Status, string Owner, DateTimeOffset ExpiredAt);
