using System.Text;
using Shipgate.Storage.Audit;
using Shipgate.Storage.Database;

namespace Shipgate.Storage.Approvals;

/// <summary>
/// Approvals and reviewers' decisions. The store keeps the facts (who decided what, once each) and
/// the state (compare-and-set from pending); the policy (who may approve, how many are required)
/// belongs to the delivery layer, which reads the tally <see cref="AddDecisionAsync"/> returns.
/// </summary>
public sealed class ApprovalStore
{
    private const string Columns = "id, run_id, run_attempt, project_id, environment, job_key, kind, title, body, reviewers_json, required, prevent_self_review, initiator, status, requested_at, decided_at, expires_at";

    private readonly StoreDatabase _database;
    private readonly TimeProvider _time;
    private readonly AuditLog _audit;

    internal ApprovalStore(StoreDatabase database, TimeProvider time, AuditLog audit)
    {
        _database = database;
        _time = time;
        _audit = audit;
    }

    /// <summary>
    /// Requests an approval. An environment approval is one per run attempt and environment: every
    /// matrix leg and job of the run that targets the environment gets the same one (the existing
    /// approval is returned, whatever its state).
    /// </summary>
    public Task<ApprovalRecord> RequestAsync(NewApproval approval, NewAuditEntry? audit = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        if (approval.Kind == ApprovalKind.Environment && approval.Environment is null)
        {
            throw new ArgumentException("An environment approval names its environment.", nameof(approval));
        }

        return _database.WriteAsync(async session =>
        {
            var conflict = approval.Kind == ApprovalKind.Environment
                ? "ON CONFLICT (run_id, run_attempt, environment) WHERE kind = 'environment' DO NOTHING"
                : "";
            var created = await session.Sql($"""
                INSERT INTO approvals (run_id, run_attempt, project_id, environment, job_key, kind, title, body, reviewers_json, required, prevent_self_review, initiator, status, requested_at, expires_at)
                VALUES (@run, @attempt, @project, @environment, @job, @kind, @title, @body, @reviewers, @required, @self, @initiator, 'pending', @now, @expires)
                {conflict}
                RETURNING {Columns}
                """)
                .Add("@run", approval.RunId)
                .Add("@attempt", approval.RunAttempt)
                .Add("@project", approval.ProjectId)
                .Add("@environment", approval.Environment)
                .Add("@job", approval.JobKey)
                .Add("@kind", DbText.Of(approval.Kind))
                .Add("@title", approval.Title)
                .Add("@body", approval.Body)
                .Add("@reviewers", JsonText.FromList(approval.Reviewers))
                .Add("@required", approval.Required)
                .Add("@self", approval.PreventSelfReview)
                .Add("@initiator", approval.Initiator)
                .Add("@now", StoreClock.Now(_time))
                .Add("@expires", approval.ExpiresAt)
                .FirstOrDefaultAsync(Read, cancellationToken).ConfigureAwait(false);
            if (created is null)
            {
                return (await session.Sql($"SELECT {Columns} FROM approvals WHERE run_id = @run AND run_attempt = @attempt AND environment = @environment AND kind = 'environment'")
                    .Add("@run", approval.RunId)
                    .Add("@attempt", approval.RunAttempt)
                    .Add("@environment", approval.Environment)
                    .FirstOrDefaultAsync(Read, cancellationToken).ConfigureAwait(false))!;
            }

            await _audit.AppendIfAnyAsync(session, audit, cancellationToken).ConfigureAwait(false);
            return created;
        }, cancellationToken);
    }

    public Task<ApprovalRecord?> GetAsync(long approvalId, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {Columns} FROM approvals WHERE id = @id").Add("@id", approvalId).FirstOrDefaultAsync(Read, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ApprovalRecord>> ListAsync(ApprovalQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new ApprovalQuery();
        var sql = new StringBuilder($"SELECT {Columns} FROM approvals WHERE 1 = 1");
        if (query.Status is not null)
        {
            sql.Append(" AND status = @status");
        }

        if (query.ProjectId is not null)
        {
            sql.Append(" AND project_id = @project");
        }

        if (query.RunId is not null)
        {
            sql.Append(" AND run_id = @run");
        }

        sql.Append(" ORDER BY id DESC LIMIT @limit");
        return _database.ReadAsync(session => session.Sql(sql.ToString())
            .AddIf(query.Status is not null, "@status", query.Status is { } status ? DbText.Of(status) : null)
            .AddIf(query.ProjectId is not null, "@project", query.ProjectId)
            .AddIf(query.RunId is not null, "@run", query.RunId)
            .Add("@limit", Math.Clamp(query.Limit, 1, 1000))
            .ListAsync(Read, cancellationToken), cancellationToken);
    }

    /// <summary>Pending approvals whose expiry has passed (the scheduler expires or keeps them per on-expiry).</summary>
    public Task<IReadOnlyList<ApprovalRecord>> ListExpiredPendingAsync(CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {Columns} FROM approvals WHERE status = 'pending' AND expires_at <= @now ORDER BY id")
            .Add("@now", StoreClock.Now(_time))
            .ListAsync(Read, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ApprovalDecisionRecord>> ListDecisionsAsync(long approvalId, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql("SELECT approval_id, user_name, decision, comment, decided_at FROM approval_decisions WHERE approval_id = @id ORDER BY decided_at, user_name")
            .Add("@id", approvalId)
            .ListAsync(row => new ApprovalDecisionRecord(row.Int64(0), row.String(1), DbText.ToApprovalDecision(row.String(2)), row.NullableString(3), row.Time(4)), cancellationToken), cancellationToken);

    /// <summary>
    /// Records <paramref name="user"/>'s decision on a pending approval, once per user, with its audit
    /// entry in the same transaction; returns the outcome and the tally after it.
    /// </summary>
    public Task<DecisionResult> AddDecisionAsync(long approvalId, string user, ApprovalDecision decision, string? comment = null, NewAuditEntry? audit = null, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(async session =>
        {
            // Locks the approval (PostgreSQL) so a decision and a concurrent completion take turns.
            var status = (string?)await session.Sql($"SELECT status FROM approvals WHERE id = @id{session.Dialect.ForUpdate}")
                .Add("@id", approvalId)
                .ScalarAsync(cancellationToken).ConfigureAwait(false);
            if (status is null)
            {
                return new DecisionResult(DecisionOutcome.NotFound, 0, 0);
            }

            var outcome = DecisionOutcome.NotPending;
            if (DbText.ToApprovalStatus(status) == ApprovalStatus.Pending)
            {
                var inserted = await session.Sql("""
                    INSERT INTO approval_decisions (approval_id, user_name, decision, comment, decided_at) VALUES (@id, @user, @decision, @comment, @now)
                    ON CONFLICT (approval_id, user_name) DO NOTHING
                    """)
                    .Add("@id", approvalId)
                    .Add("@user", user)
                    .Add("@decision", DbText.Of(decision))
                    .Add("@comment", comment)
                    .Add("@now", StoreClock.Now(_time))
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false);
                outcome = inserted == 1 ? DecisionOutcome.Recorded : DecisionOutcome.AlreadyDecided;
                if (inserted == 1)
                {
                    await _audit.AppendIfAnyAsync(session, audit, cancellationToken).ConfigureAwait(false);
                }
            }

            var approvals = 0;
            var rejections = 0;
            await session.Sql("SELECT decision, COUNT(*) FROM approval_decisions WHERE approval_id = @id GROUP BY decision")
                .Add("@id", approvalId)
                .EachAsync(row =>
                {
                    var count = (int)row.Int64(1);
                    if (DbText.ToApprovalDecision(row.String(0)) == ApprovalDecision.Approved)
                    {
                        approvals = count;
                    }
                    else
                    {
                        rejections = count;
                    }

                    return true;
                }, cancellationToken).ConfigureAwait(false);
            return new DecisionResult(outcome, approvals, rejections);
        }, cancellationToken);

    /// <summary>
    /// Moves a pending approval to <paramref name="status"/> (approved, rejected, expired or cancelled); false when
    /// it is not pending.
    /// </summary>
    public Task<bool> TryCompleteAsync(long approvalId, ApprovalStatus status, NewAuditEntry? audit = null, CancellationToken cancellationToken = default)
    {
        if (status == ApprovalStatus.Pending)
        {
            throw new ArgumentException("An approval completes as approved, rejected, expired or cancelled.", nameof(status));
        }

        return _audit.WriteAuditedAsync(async session => await session.Sql("UPDATE approvals SET status = @status, decided_at = @now WHERE id = @id AND status = 'pending'")
            .Add("@status", DbText.Of(status))
            .Add("@now", StoreClock.Now(_time))
            .Add("@id", approvalId)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1, audit, cancellationToken);
    }

    private static ApprovalRecord Read(Row row) => new(
        row.Int64(0),
        row.Int64(1),
        row.Int32(2),
        row.Int64(3),
        row.NullableString(4),
        row.NullableString(5),
        DbText.ToApprovalKind(row.String(6)),
        row.String(7),
        row.String(8),
        JsonText.ToList(row.String(9)),
        row.Int32(10),
        row.Bool(11),
        row.String(12),
        DbText.ToApprovalStatus(row.String(13)),
        row.Time(14),
        row.NullableTime(15),
        row.NullableTime(16));
}
