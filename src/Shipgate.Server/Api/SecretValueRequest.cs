namespace Shipgate.Server.Api;

/// <summary>The value of a secret or variable to set.</summary>
public sealed record SecretValueRequest(string Value);
