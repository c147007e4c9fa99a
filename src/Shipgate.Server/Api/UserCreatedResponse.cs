namespace Shipgate.Server.Api;

/// <summary>A new user and its first API token, shown this once.</summary>
public sealed record UserCreatedResponse(UserResponse User, TokenResponse Token);
