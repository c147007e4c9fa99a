namespace Shipgate.Server.Api;

/// <summary>What a webhook delivery started: the ids of the runs queued (none when no workflow matched).</summary>
public sealed record WebhookResponse(string Project, string Event, IReadOnlyList<long> Runs, string Message);
