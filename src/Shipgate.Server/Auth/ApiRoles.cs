using System.Diagnostics.CodeAnalysis;
using Shipgate.Storage.Users;

namespace Shipgate.Server.Auth;

/// <summary>The roles' names as the API and the CLI spell them (viewer &lt; developer &lt; approver &lt; admin).</summary>
internal static class ApiRoles
{
    public static IReadOnlyList<string> Names { get; } = ["viewer", "developer", "approver", "admin"];

    public static string Name(UserRole role) => role switch
    {
        UserRole.Viewer => "viewer",
        UserRole.Developer => "developer",
        UserRole.Approver => "approver",
        _ => "admin",
    };

    public static bool TryParse(string? text, [NotNullWhen(true)] out UserRole? role)
    {
        role = text?.ToLowerInvariant() switch
        {
            "viewer" => UserRole.Viewer,
            "developer" => UserRole.Developer,
            "approver" => UserRole.Approver,
            "admin" => UserRole.Admin,
            _ => null,
        };
        return role is not null;
    }
}
