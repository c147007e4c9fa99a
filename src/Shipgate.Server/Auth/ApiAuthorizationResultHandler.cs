using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Shipgate.Server.Api;
using Shipgate.Storage.Users;

namespace Shipgate.Server.Auth;

/// <summary>
/// Answers a refused call with problem+json whose detail says what is missing: no token or a bad one
/// (401), or the role the call needs (403).
/// </summary>
internal sealed class ApiAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            var reason = context.Items[TokenAuthenticationHandler.FailureItem] as string
                ?? "This call needs an API token: set SHIPGATE_TOKEN (sent as 'Authorization: Bearer <token>').";
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Problems.Write(context, StatusCodes.Status401Unauthorized, "Not authenticated", reason).ConfigureAwait(false);
            return;
        }

        if (authorizeResult.Forbidden)
        {
            var required = policy.Requirements.OfType<RoleRequirement>().Select(r => r.Role).DefaultIfEmpty(UserRole.Admin).Max();
            var caller = Caller.From(context.User);
            var detail = caller is null
                ? $"This call needs the {ApiRoles.Name(required)} role."
                : $"This call needs the {ApiRoles.Name(required)} role; user '{caller.Name}' is a{(caller.Role == UserRole.Admin ? "n" : "")} {ApiRoles.Name(caller.Role)}.";
            await Problems.Write(context, StatusCodes.Status403Forbidden, "Not permitted", detail).ConfigureAwait(false);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
    }
}
