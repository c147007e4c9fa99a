namespace Shipgate.Server.Api;

/// <summary><c>PATCH /api/v1/projects/{name}</c>: the settings to change; null leaves one as it is.</summary>
public sealed record ProjectSettingsRequest(string? PrSecrets);
