namespace Shipgate.Server.Api;

/// <summary><c>POST /api/v1/tokens</c>: a token for <see cref="User"/> (admins only; default the caller) named <see cref="Name"/>.</summary>
public sealed record TokenCreateRequest(string? User, string? Name);
