namespace Shipgate.Server.Api;

/// <summary>A secret or variable: its name and scope (an environment, or null for the whole project); never a secret's value.</summary>
public sealed record SecretResponse(string? Environment, string Name, DateTimeOffset UpdatedAt);
