using Microsoft.AspNetCore.Authorization;
using Shipgate.Storage.Users;

namespace Shipgate.Server.Auth;

/// <summary>One authorization policy per role: an endpoint names the least role it needs.</summary>
internal static class ApiPolicies
{
    public const string Viewer = "viewer";
    public const string Developer = "developer";
    public const string Approver = "approver";
    public const string Admin = "admin";

    public static void Add(AuthorizationBuilder builder)
    {
        foreach (var role in Enum.GetValues<UserRole>())
        {
            builder.AddPolicy(ApiRoles.Name(role), policy => policy
                .AddAuthenticationSchemes(TokenAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .AddRequirements(new RoleRequirement(role)));
        }
    }
}
