namespace Shipgate.Server.Api;

/// <summary>A new project and the secret its GitHub webhook is signed with, shown this once.</summary>
public sealed record ProjectCreatedResponse(ProjectResponse Project, string WebhookSecret, string WebhookPath);
