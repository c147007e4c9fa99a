namespace Shipgate.Server.Auth;

/// <summary>A user to create.</summary>
internal sealed record NewUser(string Name, IReadOnlyList<string> Emails, ApiRole Role, IReadOnlyList<string> Environments);
