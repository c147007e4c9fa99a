using Microsoft.Extensions.Logging;

namespace Shipgate.Server.Notifications;

/// <summary>Log messages of outgoing webhooks (event ids 5600-5649).</summary>
internal static partial class NotificationLog
{
    [LoggerMessage(EventId = 5600, Level = LogLevel.Information, Message = "Webhook {WebhookId} received {Event} of run {RunId}")]
    public static partial void Delivered(ILogger logger, long webhookId, string @event, long? runId);

    [LoggerMessage(EventId = 5601, Level = LogLevel.Warning, Message = "Webhook {WebhookId} did not take {Event} (attempt {Attempt}): {Error}; retrying at {RetryAt:O}")]
    public static partial void Retrying(ILogger logger, long webhookId, string @event, int attempt, string error, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 5602, Level = LogLevel.Error, Message = "Webhook {WebhookId} did not take {Event} after {Attempt} attempts: {Error}; given up")]
    public static partial void GaveUp(ILogger logger, long webhookId, string @event, int attempt, string error);

    [LoggerMessage(EventId = 5603, Level = LogLevel.Error, Message = "The notifier failed; it retries")]
    public static partial void NotifierError(ILogger logger, Exception exception);
}
