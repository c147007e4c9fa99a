using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Shipgate.Storage;

/// <summary>Where the store keeps its data and how.</summary>
public sealed class StoreOptions
{
    /// <summary>The data directory: the SQLite file and the secret key file go here. Created when missing.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>
    /// Null (the default): SQLite in <c>DATA/shipgate.db</c>. A <c>postgres://user:password@host:port/db</c>
    /// URL or an Npgsql string with <c>Host=</c>: PostgreSQL. <c>Data Source=PATH</c>: SQLite at PATH.
    /// </summary>
    public string? ConnectionString { get; init; }

    /// <summary>SQLite's durability per commit. Default <see cref="Storage.SqliteSynchronous.Full"/>.</summary>
    public SqliteSynchronous SqliteSynchronous { get; init; } = SqliteSynchronous.Full;

    /// <summary>
    /// The AES key file for secrets at rest. Default <c>DATA/secret.key</c>. Servers that share a
    /// PostgreSQL database must share this file's content too.
    /// </summary>
    public string? SecretKeyPath { get; init; }

    /// <summary>
    /// The audit log's HMAC key file. Default <c>DATA/audit.key</c> (created 0600 at first start). Keep a copy
    /// off the machine: with it, anyone can verify the log; without it, nobody who writes the database can
    /// forge an entry. Servers that share a PostgreSQL database must share this file's content too.
    /// </summary>
    public string? AuditKeyPath { get; init; }

    /// <summary>
    /// The audit log's append-only checkpoint file, one keyed line per commit of audit entries. Default
    /// <c>DATA/audit.checkpoint</c>. Copy it off the machine now and then: it proves how long the log was.
    /// </summary>
    public string? AuditCheckpointPath { get; init; }

    /// <summary>Where the store logs (opening, migrations). Default: nowhere.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>The clock for every timestamp the store writes. Default the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
