namespace Shipgate.Engine.Sandbox;

/// <summary>The unprivileged user a root-started sandbox runs steps as.</summary>
/// <param name="Name">The user's name (<c>shipgate-runner</c> by default).</param>
/// <param name="UserId">Its uid.</param>
/// <param name="GroupId">Its primary gid.</param>
public sealed record RunnerAccount(string Name, int UserId, int GroupId);
