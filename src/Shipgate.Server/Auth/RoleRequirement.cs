using Microsoft.AspNetCore.Authorization;
using Shipgate.Storage.Users;

namespace Shipgate.Server.Auth;

/// <summary>The caller's role must be at least <see cref="Role"/>.</summary>
internal sealed class RoleRequirement(UserRole role) : AuthorizationHandler<RoleRequirement>, IAuthorizationRequirement
{
    public UserRole Role { get; } = role;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RoleRequirement requirement)
    {
        if (Caller.From(context.User) is { } caller && caller.Has(requirement.Role))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
