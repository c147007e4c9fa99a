namespace Shipgate.Server.Api;

/// <summary>The fields of a problem+json error body that clients read.</summary>
public sealed record ApiProblem(string? Type, string? Title, int? Status, string? Detail);
