namespace Shipgate.Storage.Users;

/// <summary>A new token: <see cref="Token"/> is shown once to its user and never stored.</summary>
public sealed record CreatedToken(string Token, ApiTokenRecord Record);
