using System.Globalization;
using Shipgate.Storage.Audit;
using Shipgate.Storage.Database;
using Shipgate.Storage.Secrets;

namespace Shipgate.Storage.Notifications;

/// <summary>
/// Outgoing webhooks and their durable outbox. The notifier reads each run's event stream from the run's
/// <c>notified_sequence</c> on and, in one transaction, moves that cursor (compare-and-set, so two
/// servers never enqueue one event twice) and puts a notification per interested webhook in the
/// outbox. Deliveries are claimed with a short lease (the next attempt's time moves forward), so a
/// crashed deliverer's claim is retried, and are marked delivered, retried later, or given up.
/// </summary>
public sealed class NotificationStore
{
    private const string WebhookColumns = "id, url, display_url, format, project_id, events_json, secret, created_by, created_at";

    private readonly StoreDatabase _database;
    private readonly TimeProvider _time;
    private readonly SecretCipher _cipher;
    private readonly AuditLog _audit;

    internal NotificationStore(StoreDatabase database, TimeProvider time, SecretCipher cipher, AuditLog audit)
    {
        _database = database;
        _time = time;
        _cipher = cipher;
        _audit = audit;
    }

    /// <summary>Adds a webhook (its URL and secret encrypted) and the audit entry (given the new id), in one transaction.</summary>
    public Task<NotificationWebhook> AddWebhookAsync(NewNotificationWebhook webhook, Func<long, NewAuditEntry>? audit = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        return _database.WriteAsync(async session =>
        {
            var id = await session.Sql("""
                INSERT INTO notification_webhooks (url, display_url, format, project_id, events_json, created_by, created_at)
                VALUES (@url, @display, @format, @project, @events, @by, @now)
                RETURNING id
                """)
                .Add("@url", Array.Empty<byte>())
                .Add("@display", webhook.DisplayUrl)
                .Add("@format", FormatText(webhook.Format))
                .Add("@project", webhook.ProjectId)
                .Add("@events", JsonText.FromList(webhook.Events))
                .Add("@by", webhook.CreatedBy)
                .Add("@now", StoreClock.Now(_time))
                .Int64Async(cancellationToken).ConfigureAwait(false);

            // Bound to the row's id: a sealed URL or secret copied to another row does not open.
            var added = await session.Sql($"UPDATE notification_webhooks SET url = @url, secret = @secret WHERE id = @id RETURNING {WebhookColumns}")
                .Add("@url", _cipher.Encrypt(webhook.Url, UrlBinding(id)))
                .Add("@secret", webhook.Secret is null ? null : _cipher.Encrypt(webhook.Secret, SecretBinding(id)))
                .Add("@id", id)
                .FirstOrDefaultAsync(ReadWebhook, cancellationToken).ConfigureAwait(false);
            await _audit.AppendIfAnyAsync(session, audit?.Invoke(id), cancellationToken).ConfigureAwait(false);
            return added!;
        }, cancellationToken);
    }

    /// <summary>Every webhook, oldest first.</summary>
    public Task<IReadOnlyList<NotificationWebhook>> ListWebhooksAsync(CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {WebhookColumns} FROM notification_webhooks ORDER BY id").ListAsync(ReadWebhook, cancellationToken), cancellationToken);

    public Task<NotificationWebhook?> GetWebhookAsync(long id, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {WebhookColumns} FROM notification_webhooks WHERE id = @id").Add("@id", id).FirstOrDefaultAsync(ReadWebhook, cancellationToken), cancellationToken);

    /// <summary>Removes a webhook and its outbox (with the audit entry); false when there is none with that id.</summary>
    public Task<bool> RemoveWebhookAsync(long id, NewAuditEntry? audit = null, CancellationToken cancellationToken = default) =>
        _audit.WriteAuditedAsync(async session => await session.Sql("DELETE FROM notification_webhooks WHERE id = @id").Add("@id", id).ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1, audit, cancellationToken);

    /// <summary>Runs with events the notifier has not read yet, oldest first, at most <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<RunToNotify>> ListRunsToNotifyAsync(int limit = 100, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql("SELECT id, project_id, notified_sequence, last_event_sequence FROM runs WHERE last_event_sequence > notified_sequence ORDER BY id LIMIT @limit")
            .Add("@limit", Math.Clamp(limit, 1, 1000))
            .ListAsync(row => new RunToNotify(row.Int64(0), row.Int64(1), row.Int64(2), row.Int64(3)), cancellationToken), cancellationToken);

    /// <summary>Marks every run's events as read without notifying (there is no webhook to tell).</summary>
    public Task<int> SkipAllAsync(CancellationToken cancellationToken = default) =>
        _database.WriteAsync(session => session.Sql("UPDATE runs SET notified_sequence = last_event_sequence WHERE last_event_sequence > notified_sequence").ExecuteAsync(cancellationToken), cancellationToken);

    /// <summary>
    /// Moves the run's cursor from <paramref name="expectedSequence"/> to <paramref name="readSequence"/>
    /// and puts <paramref name="notifications"/> in the outbox, in one transaction; false (and nothing
    /// enqueued) when the cursor is no longer where the caller read it (another server got there first).
    /// </summary>
    public Task<bool> EnqueueAsync(long runId, long expectedSequence, long readSequence, IReadOnlyList<NewNotification> notifications, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        return _database.WriteAsync(async session =>
        {
            var moved = await session.Sql("UPDATE runs SET notified_sequence = @read WHERE id = @id AND notified_sequence = @expected")
                .Add("@read", readSequence)
                .Add("@id", runId)
                .Add("@expected", expectedSequence)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
            if (!moved)
            {
                return false;
            }

            var now = StoreClock.Now(_time);
            foreach (var notification in notifications)
            {
                // A webhook removed meanwhile gets nothing.
                await session.Sql("""
                    INSERT INTO notification_outbox (webhook_id, run_id, event, payload_json, status, attempts, next_attempt_at, created_at)
                    SELECT id, @run, @event, @payload, 'pending', 0, @now, @now FROM notification_webhooks WHERE id = @webhook
                    """)
                    .Add("@run", notification.RunId)
                    .Add("@event", notification.Event)
                    .Add("@payload", notification.PayloadJson)
                    .Add("@now", now)
                    .Add("@webhook", notification.WebhookId)
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> due notifications, oldest first, only the oldest pending one
    /// of each webhook (a webhook receives its notifications in order, one at a time): each attempt is
    /// counted and the next one is put off by <paramref name="lease"/>, so a deliverer that dies mid-post
    /// leaves it for a retry after that.
    /// </summary>
    public Task<IReadOnlyList<OutboxItem>> ClaimDueAsync(int limit, TimeSpan lease, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(session =>
        {
            var now = StoreClock.Now(_time);
            return session.Sql($"""
                UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_at = @until
                WHERE id IN (
                    SELECT o.id FROM notification_outbox o
                    WHERE o.status = 'pending' AND o.next_attempt_at <= @now
                        AND NOT EXISTS (SELECT 1 FROM notification_outbox p WHERE p.webhook_id = o.webhook_id AND p.status = 'pending' AND p.id < o.id)
                    ORDER BY o.next_attempt_at, o.id LIMIT @limit{session.Dialect.SkipLocked})
                RETURNING id, webhook_id, run_id, event, payload_json, attempts
                """)
                .Add("@until", now + lease)
                .Add("@now", now)
                .Add("@limit", Math.Clamp(limit, 1, 1000))
                .ListAsync(row => new OutboxItem(row.Int64(0), row.Int64(1), row.NullableInt64(2), row.String(3), row.String(4), row.Int32(5)), cancellationToken);
        }, cancellationToken);

    /// <summary>Records the outcome of an attempt: delivered (the last error, if any, stays); or failed with <paramref name="error"/> and retried at <paramref name="retryAt"/>, or given up when that is null.</summary>
    public Task<bool> RecordAttemptAsync(long id, bool delivered, string? error = null, DateTimeOffset? retryAt = null, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(async session =>
        {
            var now = StoreClock.Now(_time);
            var status = delivered ? "delivered" : retryAt is null ? "failed" : "pending";
            return await session.Sql("""
                UPDATE notification_outbox SET status = @status, last_error = COALESCE(@error, last_error), delivered_at = @delivered, next_attempt_at = COALESCE(@retry, next_attempt_at)
                WHERE id = @id AND status = 'pending'
                """)
                .Add("@status", status)
                .Add("@error", error)
                .Add("@delivered", delivered ? now : (DateTimeOffset?)null)
                .Add("@retry", retryAt)
                .Add("@id", id)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken);

    /// <summary>The outbox's notifications, newest first, for one webhook or all.</summary>
    public Task<IReadOnlyList<OutboxEntry>> ListOutboxAsync(long? webhookId = null, int limit = 100, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"""
            SELECT id, webhook_id, run_id, event, status, attempts, last_error, created_at, delivered_at FROM notification_outbox
            {(webhookId is null ? "" : "WHERE webhook_id = @webhook")} ORDER BY id DESC LIMIT @limit
            """)
            .AddIf(webhookId is not null, "@webhook", webhookId)
            .Add("@limit", Math.Clamp(limit, 1, 1000))
            .ListAsync(row => new OutboxEntry(
                row.Int64(0),
                row.Int64(1),
                row.NullableInt64(2),
                row.String(3),
                row.String(4) switch { "delivered" => OutboxStatus.Delivered, "failed" => OutboxStatus.Failed, _ => OutboxStatus.Pending },
                row.Int32(5),
                row.NullableString(6),
                row.Time(7),
                row.NullableTime(8)), cancellationToken), cancellationToken);

    private static string FormatText(NotificationFormat format) => format == NotificationFormat.Slack ? "slack" : "json";

    private static string UrlBinding(long id) => string.Create(CultureInfo.InvariantCulture, $"notification-webhook/{id}/url");

    private static string SecretBinding(long id) => string.Create(CultureInfo.InvariantCulture, $"notification-webhook/{id}/secret");

    private NotificationWebhook ReadWebhook(Row row)
    {
        var id = row.Int64(0);
        var secret = row.NullableBytes(6);
        return new NotificationWebhook(
            id,
            _cipher.Decrypt(row.NullableBytes(1)!, UrlBinding(id)),
            row.String(2),
            row.String(3) == "slack" ? NotificationFormat.Slack : NotificationFormat.Json,
            row.NullableInt64(4),
            JsonText.ToList(row.String(5)),
            secret is null ? null : _cipher.Decrypt(secret, SecretBinding(id)),
            row.String(7),
            row.Time(8));
    }
}
