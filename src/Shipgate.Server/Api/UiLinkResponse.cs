namespace Shipgate.Server.Api;

/// <summary>A one-time sign-in link to the web UI (<c>POST /api/v1/ui-links</c>): opening it signs its user in once, until it expires.</summary>
public sealed record UiLinkResponse(string Url, DateTimeOffset ExpiresAt);
