namespace Shipgate.Storage.Secrets;

/// <summary>A stored secret's or variable's name and scope (never a secret's value). <see cref="Environment"/> is null for the whole project.</summary>
public sealed record SecretInfo(string? Environment, string Name, DateTimeOffset UpdatedAt);
