using Shipgate.Storage.Database;

namespace Shipgate.Storage.Insights;

/// <summary>
/// Reads the history the delivery insights are computed from (ADR 0033): each a single query whose rows are read once,
/// in the order the computation walks them, so the numbers for 10,000 deployments take one pass. Optionally one project
/// (by id) and one environment (by name, in any case, as GitHub's environment names).
/// </summary>
public sealed class InsightsStore
{
    private readonly StoreDatabase _database;

    internal InsightsStore(StoreDatabase database) => _database = database;

    /// <summary>
    /// The deployments that ended (succeeded, failed or rolled back) at or after <paramref name="since"/>, with their
    /// release's commit time, ordered by project, service, environment, then as they ended.
    /// </summary>
    public Task<IReadOnlyList<DeploymentFact>> ReadDeploymentsAsync(
        long? projectId, string? environment, DateTimeOffset since, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"""
            SELECT p.name, d.service, d.environment, d.strategy, d.status, d.release_id, d.created_at, d.finished_at, r.committed_at
            FROM deployments d JOIN releases r ON r.id = d.release_id JOIN projects p ON p.id = d.project_id
            WHERE d.status IN ('succeeded', 'failed', 'rolled-back') AND d.finished_at >= @since{Scope("d", projectId, environment)}
            ORDER BY p.name, d.service, d.environment, d.finished_at, d.id
            """)
            .Add("@since", since)
            .AddIf(projectId is not null, "@project", projectId)
            .AddIf(environment is not null, "@environment", environment)
            .ListAsync(row => new DeploymentFact(
                row.String(0),
                row.String(1),
                row.String(2),
                row.String(3),
                DbText.ToDeploymentStatus(row.String(4)),
                row.Int64(5),
                row.Time(6),
                row.Time(7),
                row.NullableTime(8)), cancellationToken), cancellationToken);

    /// <summary>The approvals pending now, and those decided, expired or cancelled in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public Task<IReadOnlyList<ApprovalFact>> ReadApprovalsAsync(
        long? projectId, string? environment, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"""
            SELECT p.name, a.environment, a.status, a.requested_at, a.decided_at
            FROM approvals a JOIN projects p ON p.id = a.project_id
            WHERE (a.status = 'pending' OR (a.decided_at >= @from AND a.decided_at < @to)){Scope("a", projectId, environment)}
            ORDER BY a.id
            """)
            .Add("@from", from)
            .Add("@to", to)
            .AddIf(projectId is not null, "@project", projectId)
            .AddIf(environment is not null, "@environment", environment)
            .ListAsync(
                row => new ApprovalFact(row.String(0), row.NullableString(1), DbText.ToApprovalStatus(row.String(2)), row.Time(3), row.NullableTime(4)),
                cancellationToken), cancellationToken);

    /// <summary>The reviewers' decisions given in [<paramref name="from"/>, <paramref name="to"/>), with when their approval was asked.</summary>
    public Task<IReadOnlyList<ReviewerDecisionFact>> ReadDecisionsAsync(
        long? projectId, string? environment, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"""
            SELECT p.name, a.environment, d.user_name, d.decision, a.requested_at, d.decided_at
            FROM approval_decisions d JOIN approvals a ON a.id = d.approval_id JOIN projects p ON p.id = a.project_id
            WHERE d.decided_at >= @from AND d.decided_at < @to{Scope("a", projectId, environment)}
            ORDER BY d.decided_at, d.user_name
            """)
            .Add("@from", from)
            .Add("@to", to)
            .AddIf(projectId is not null, "@project", projectId)
            .AddIf(environment is not null, "@environment", environment)
            .ListAsync(row => new ReviewerDecisionFact(
                row.String(0),
                row.NullableString(1),
                row.String(2),
                DbText.ToApprovalDecision(row.String(3)),
                row.Time(4),
                row.Time(5)), cancellationToken), cancellationToken);

    private static string Scope(string table, long? projectId, string? environment) =>
        (projectId is null ? "" : $" AND {table}.project_id = @project")
        + (environment is null ? "" : $" AND lower({table}.environment) = lower(@environment)");
}
