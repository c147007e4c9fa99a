namespace Shipgate.Server.Ui;

/// <summary>The audit page's filters as the query string gives them (times as ISO 8601).</summary>
public sealed record AuditFilter(string? Actor, string? Action, string? Target, string? From, string? To);
