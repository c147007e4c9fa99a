using Shipgate.Storage.Audit;
using Shipgate.Storage.Notifications;
using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Storage.Tests.Notifications;

public abstract class NotificationStoreTests(StoreTarget target) : StoreTests(target)
{
    [Fact]
    public async Task AddWebhook_UrlAndSecretEncryptedAtRest_ReadBackAndAudited()
    {
        var added = await AddAsync("https://hooks.slack.com/services/T000/B000/XXXXSECRETPATH", secret: "s3cret");

        var listed = Assert.Single(await Store.Notifications.ListWebhooksAsync(Cancel).DefaultTimeout());
        Assert.Equal(("https://hooks.slack.com/services/T000/B000/XXXXSECRETPATH", "s3cret", NotificationFormat.Slack), (listed.Url, listed.Secret, listed.Format));
        Assert.Equal(added.Id, listed.Id);
        var raw = (byte[])(await ScalarRawAsync($"SELECT url FROM notification_webhooks WHERE id = {added.Id}"))!;
        Assert.DoesNotContain("XXXXSECRETPATH", System.Text.Encoding.UTF8.GetString(raw), StringComparison.Ordinal);
        var entry = (await Store.Audit.ListAsync(cancellationToken: Cancel).DefaultTimeout())[^1];
        Assert.Equal(("webhook.add", "webhook/" + added.Id), (entry.Action, entry.Target));
    }

    [Fact]
    public async Task Enqueue_CursorMovedByAnother_NothingEnqueued()
    {
        var project = await NewProjectAsync();
        var run = await NewRunAsync(project.Id);
        await Store.Runs.AppendEventAsync(run.Id, "environment.waiting", "{}", Cancel).DefaultTimeout();
        var webhook = await AddAsync("http://127.0.0.1:9/hook");
        var toNotify = Assert.Single(await Store.Notifications.ListRunsToNotifyAsync(cancellationToken: Cancel).DefaultTimeout());
        NewNotification[] notifications = [new(webhook.Id, run.Id, "waiting", "{\"event\":\"waiting\"}")];

        var first = await Store.Notifications.EnqueueAsync(run.Id, toNotify.NotifiedSequence, toNotify.LastEventSequence, notifications, Cancel).DefaultTimeout();
        var second = await Store.Notifications.EnqueueAsync(run.Id, toNotify.NotifiedSequence, toNotify.LastEventSequence, notifications, Cancel).DefaultTimeout();

        Assert.Equal((0L, 1L), (toNotify.NotifiedSequence, toNotify.LastEventSequence));
        Assert.True(first);
        Assert.False(second);
        Assert.Single(await Store.Notifications.ListOutboxAsync(cancellationToken: Cancel).DefaultTimeout());
        Assert.Empty(await Store.Notifications.ListRunsToNotifyAsync(cancellationToken: Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task ClaimDue_FailedAttempt_RetriedAtItsTimeThenGivenUp()
    {
        var project = await NewProjectAsync();
        var run = await NewRunAsync(project.Id);
        var webhook = await AddAsync("http://127.0.0.1:9/hook");
        await Store.Notifications.EnqueueAsync(run.Id, 0, 0, [new(webhook.Id, run.Id, "failed", "{}")], Cancel).DefaultTimeout();
        var lease = TimeSpan.FromSeconds(30);

        var claimed = Assert.Single(await Store.Notifications.ClaimDueAsync(10, lease, Cancel).DefaultTimeout());
        var again = await Store.Notifications.ClaimDueAsync(10, lease, Cancel).DefaultTimeout();
        await Store.Notifications.RecordAttemptAsync(claimed.Id, delivered: false, "503 Service Unavailable", Time.GetUtcNow() + TimeSpan.FromSeconds(2), Cancel).DefaultTimeout();
        var early = await Store.Notifications.ClaimDueAsync(10, lease, Cancel).DefaultTimeout();
        Time.Advance(TimeSpan.FromSeconds(2));
        var retried = Assert.Single(await Store.Notifications.ClaimDueAsync(10, lease, Cancel).DefaultTimeout());
        await Store.Notifications.RecordAttemptAsync(retried.Id, delivered: false, "timed out", null, Cancel).DefaultTimeout();

        Assert.Equal(1, claimed.Attempts);
        Assert.Empty(again);
        Assert.Empty(early);
        Assert.Equal(2, retried.Attempts);
        var entry = Assert.Single(await Store.Notifications.ListOutboxAsync(webhook.Id, cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal((OutboxStatus.Failed, 2, "timed out"), (entry.Status, entry.Attempts, entry.LastError));
    }

    [Fact]
    public async Task ClaimDue_TwoForOneWebhook_OneAtATimeInOrder()
    {
        var project = await NewProjectAsync();
        var run = await NewRunAsync(project.Id);
        var webhook = await AddAsync("http://127.0.0.1:9/hook");
        var other = await AddAsync("http://127.0.0.1:9/other");
        await Store.Notifications.EnqueueAsync(run.Id, 0, 0, [new(webhook.Id, run.Id, "waiting", "{}"), new(webhook.Id, run.Id, "approved", "{}"), new(other.Id, run.Id, "waiting", "{}")], Cancel).DefaultTimeout();

        var first = await Store.Notifications.ClaimDueAsync(10, TimeSpan.FromSeconds(30), Cancel).DefaultTimeout();
        await Store.Notifications.RecordAttemptAsync(first.Single(i => i.WebhookId == webhook.Id).Id, delivered: true, cancellationToken: Cancel).DefaultTimeout();
        var second = await Store.Notifications.ClaimDueAsync(10, TimeSpan.FromSeconds(30), Cancel).DefaultTimeout();

        Assert.Equal([(webhook.Id, "waiting"), (other.Id, "waiting")], first.Select(i => (i.WebhookId, i.Event)).Order());
        Assert.Equal([(webhook.Id, "approved")], second.Select(i => (i.WebhookId, i.Event)));
    }

    [Fact]
    public async Task RemoveWebhook_ItsOutboxGoesWithIt()
    {
        var project = await NewProjectAsync();
        var run = await NewRunAsync(project.Id);
        var webhook = await AddAsync("http://127.0.0.1:9/hook");
        await Store.Notifications.EnqueueAsync(run.Id, 0, 0, [new(webhook.Id, run.Id, "failed", "{}")], Cancel).DefaultTimeout();

        Assert.True(await Store.Notifications.RemoveWebhookAsync(webhook.Id, new NewAuditEntry { Actor = "admin", Action = "webhook.remove", Target = "webhook/" + webhook.Id }, Cancel).DefaultTimeout());
        Assert.False(await Store.Notifications.RemoveWebhookAsync(webhook.Id, cancellationToken: Cancel).DefaultTimeout());

        Assert.Empty(await Store.Notifications.ListOutboxAsync(cancellationToken: Cancel).DefaultTimeout());
    }

    private Task<NotificationWebhook> AddAsync(string url, string? secret = null) =>
        Store.Notifications.AddWebhookAsync(
            new NewNotificationWebhook { Url = url, DisplayUrl = new Uri(url).GetLeftPart(UriPartial.Authority), Format = url.Contains("slack", StringComparison.Ordinal) ? NotificationFormat.Slack : NotificationFormat.Json, Secret = secret, CreatedBy = "admin" },
            id => new NewAuditEntry { Actor = "admin", Action = "webhook.add", Target = "webhook/" + id },
            Cancel).DefaultTimeout();

    public sealed class OnSqlite() : NotificationStoreTests(new SqliteStoreTarget());

    public sealed class OnPostgres(PostgresServer server) : NotificationStoreTests(new PostgresStoreTarget(server));
}
