namespace Shipgate.Server.Api;

/// <summary>One freeze window: when it starts (cron in <see cref="TimeZone"/>), how long it lasts, and when the window active now ends (null when none is).</summary>
public sealed record FreezeWindowResponse(string Cron, string Duration, string TimeZone, DateTimeOffset? ActiveUntil);
