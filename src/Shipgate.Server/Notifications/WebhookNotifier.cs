using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Notifications;
using Shipgate.Storage.Projects;

namespace Shipgate.Server.Notifications;

/// <summary>
/// Tells outgoing webhooks what happened, apart from the runs: it reads the runs' event streams after
/// each run's notified cursor, puts a notification per interested webhook in the store's outbox (moving
/// the cursor in the same transaction), and posts the outbox's due notifications, a few at once, each
/// with a timeout. A failed post is retried with a growing delay (1, 2, 4, 8 s) and given up after
/// <see cref="MaxAttempts"/>. Both the cursor and the outbox are in the store, so a restart goes on
/// where the last server stopped (ADR 0010).
/// </summary>
internal sealed class WebhookNotifier(
    ServerStore store,
    NotificationBuilder builder,
    TimeProvider time,
    ILogger<WebhookNotifier> logger) : BackgroundService
{
    public const int MaxAttempts = 5;

    /// <summary>The header with the HMAC-SHA256 of the body under the webhook's secret: <c>sha256=HEX</c>.</summary>
    public const string SignatureHeader = "X-Shipgate-Signature-256";

    private const int MaxParallelPosts = 4;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan PostTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ClaimLease = TimeSpan.FromSeconds(30);

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _posts = new(MaxParallelPosts, MaxParallelPosts);
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Makes the notifier look for events and due notifications now.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>The signature header's value for <paramref name="body"/> under <paramref name="secret"/>.</summary>
    public static string Sign(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public override void Dispose()
    {
        _http.Dispose();
        _posts.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var posting = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await EnqueueAsync(stoppingToken).ConfigureAwait(false);
                posting.RemoveAll(t => t.IsCompleted);
                posting.AddRange(await StartDueAsync(stoppingToken).ConfigureAwait(false));
                await Task.WhenAny(_wake.Reader.WaitToReadAsync(stoppingToken).AsTask(), Task.Delay(PollInterval, time, stoppingToken)).ConfigureAwait(false);
                _wake.Reader.TryRead(out _);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The store was unreachable for a moment: try again shortly.
                NotificationLog.NotifierError(logger, ex);
                await Task.Delay(PollInterval, time, CancellationToken.None).ConfigureAwait(false);
            }
        }

        // Posts in flight end with the stop; their claims lapse and the next start retries them.
        await Task.WhenAll(posting).ConfigureAwait(false);
    }

    /// <summary>Reads the new events of runs and puts their notifications in the outbox.</summary>
    private async Task EnqueueAsync(CancellationToken cancellationToken)
    {
        var runs = await store.Store.Notifications.ListRunsToNotifyAsync(100, cancellationToken).ConfigureAwait(false);
        if (runs.Count == 0)
        {
            return;
        }

        var webhooks = await store.Store.Notifications.ListWebhooksAsync(cancellationToken).ConfigureAwait(false);
        if (webhooks.Count == 0)
        {
            await store.Store.Notifications.SkipAllAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var projects = new Dictionary<long, ProjectRecord?>();
        foreach (var toNotify in runs)
        {
            var notifications = new List<NewNotification>();
            var interested = webhooks.Where(w => w.ProjectId is null || w.ProjectId == toNotify.ProjectId).ToList();
            // At most 10,000 events of a run at a time: the cursor moves to what was read.
            var read = interested.Count == 0 ? toNotify.LastEventSequence : Math.Min(toNotify.LastEventSequence, toNotify.NotifiedSequence + 10_000);
            var events = interested.Count == 0
                ? []
                : (await store.Store.Runs.ListEventsAsync(toNotify.RunId, toNotify.NotifiedSequence, (int)(read - toNotify.NotifiedSequence), cancellationToken).ConfigureAwait(false))
                    .Where(e => e.Sequence <= read && NotificationEvents.MayNotify(e.Kind))
                    .ToList();
            if (events.Count > 0)
            {
                var run = await store.Store.Runs.GetRunAsync(toNotify.RunId, cancellationToken).ConfigureAwait(false);
                if (!projects.TryGetValue(toNotify.ProjectId, out var project))
                {
                    project = await store.Store.Projects.GetAsync(toNotify.ProjectId, cancellationToken).ConfigureAwait(false);
                    projects[toNotify.ProjectId] = project;
                }

                // A run or project removed meanwhile notifies nothing; its cursor still moves.
                foreach (var record in run is null || project is null ? [] : events)
                {
                    if (await builder.BuildAsync(run!, project!, record, cancellationToken).ConfigureAwait(false) is not { } payload)
                    {
                        continue;
                    }

                    var json = JsonSerializer.Serialize(payload, NotificationJsonContext.Default.NotificationPayload);
                    notifications.AddRange(interested.Where(w => w.Wants(toNotify.ProjectId, payload.Event)).Select(w => new NewNotification(w.Id, toNotify.RunId, payload.Event, json)));
                }
            }

            await store.Store.Notifications.EnqueueAsync(toNotify.RunId, toNotify.NotifiedSequence, read, notifications, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Claims as many due notifications as there are free posting slots and starts posting them.</summary>
    private async Task<IReadOnlyList<Task>> StartDueAsync(CancellationToken cancellationToken)
    {
        var free = _posts.CurrentCount;
        if (free == 0)
        {
            return [];
        }

        var due = await store.Store.Notifications.ClaimDueAsync(free, ClaimLease, cancellationToken).ConfigureAwait(false);
        if (due.Count == 0)
        {
            return [];
        }

        var webhooks = (await store.Store.Notifications.ListWebhooksAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(w => w.Id);
        var started = new List<Task>();
        foreach (var item in due)
        {
            if (!webhooks.TryGetValue(item.WebhookId, out var webhook))
            {
                continue;
            }

            await _posts.WaitAsync(cancellationToken).ConfigureAwait(false);
            started.Add(Task.Run(
                async () =>
                {
                    try
                    {
                        await DeliverAsync(webhook, item, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        _posts.Release();
                        Wake();
                    }
                },
                CancellationToken.None));
        }

        return started;
    }

    private async Task DeliverAsync(NotificationWebhook webhook, OutboxItem item, CancellationToken cancellationToken)
    {
        var error = await PostAsync(webhook, item, cancellationToken).ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        try
        {
            if (error is null)
            {
                await store.Store.Notifications.RecordAttemptAsync(item.Id, delivered: true, cancellationToken: CancellationToken.None).ConfigureAwait(false);
                NotificationLog.Delivered(logger, webhook.Id, item.Event, item.RunId);
            }
            else if (item.Attempts >= MaxAttempts)
            {
                await store.Store.Notifications.RecordAttemptAsync(item.Id, delivered: false, error, null, CancellationToken.None).ConfigureAwait(false);
                NotificationLog.GaveUp(logger, webhook.Id, item.Event, item.Attempts, error);
            }
            else
            {
                var retryAt = time.GetUtcNow() + TimeSpan.FromSeconds(1 << (item.Attempts - 1));
                await store.Store.Notifications.RecordAttemptAsync(item.Id, delivered: false, error, retryAt, CancellationToken.None).ConfigureAwait(false);
                NotificationLog.Retrying(logger, webhook.Id, item.Event, item.Attempts, error, retryAt);
            }
        }
        catch (Exception ex)
        {
            // Not recorded: the claim lapses and the notification is tried again.
            NotificationLog.NotifierError(logger, ex);
        }
    }

    /// <summary>Posts the notification; null when the receiver took it (2xx), else why not.</summary>
    private async Task<string?> PostAsync(NotificationWebhook webhook, OutboxItem item, CancellationToken cancellationToken)
    {
        var body = Body(webhook.Format, item.PayloadJson);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PostTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Shipgate", "1"));
        request.Headers.Add("X-Shipgate-Event", item.Event);
        request.Headers.Add("X-Shipgate-Delivery", item.Id.ToString(CultureInfo.InvariantCulture));
        if (webhook.Secret is { } secret)
        {
            request.Headers.Add(SignatureHeader, Sign(secret, body));
        }

        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : string.Create(CultureInfo.InvariantCulture, $"the receiver answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {PostTimeout.TotalSeconds:0} s";
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>The body a webhook of <paramref name="format"/> receives for a stored notification.</summary>
    public static byte[] Body(NotificationFormat format, string payloadJson)
    {
        if (format == NotificationFormat.Json)
        {
            return Encoding.UTF8.GetBytes(payloadJson);
        }

        var payload = JsonSerializer.Deserialize(payloadJson, NotificationJsonContext.Default.NotificationPayload)!;
        return JsonSerializer.SerializeToUtf8Bytes(new SlackPayload(SlackMessage.Text(payload)), NotificationJsonContext.Default.SlackPayload);
    }
}
