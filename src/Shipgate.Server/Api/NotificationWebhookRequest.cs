namespace Shipgate.Server.Api;

/// <summary>
/// An outgoing webhook to add: an absolute http(s) URL; <see cref="Format"/> json (default) or slack;
/// <see cref="Project"/> limits it to one project; <see cref="Events"/> (waiting, approved, rejected,
/// deployed, failed, rolled-back) to those, all when empty; <see cref="Secret"/> signs each post.
/// </summary>
public sealed record NotificationWebhookRequest(string Url, string? Format = null, string? Project = null, IReadOnlyList<string>? Events = null, string? Secret = null);
