using System.Diagnostics.CodeAnalysis;

namespace Shipgate.Server.Auth;

/// <summary>The roles' names as the API and the CLI spell them.</summary>
internal static class ApiRoles
{
    public static IReadOnlyList<string> Names { get; } = ["viewer", "developer", "approver", "admin"];

    public static string Name(ApiRole role) => Names[(int)role];

    public static bool TryParse(string? text, [NotNullWhen(true)] out ApiRole? role)
    {
        var index = text is null ? -1 : Names.ToList().FindIndex(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        role = index < 0 ? null : (ApiRole)index;
        return role is not null;
    }
}
