using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Shipgate.Server.Api;
using Shipgate.Server.Audit;

namespace Shipgate.Server.Auth;

/// <summary><c>/api/v1/users</c> and <c>/api/v1/tokens</c>: users (admins only) and API tokens.</summary>
internal static class UserEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/users", ListUsersAsync).RequireAuthorization(ApiPolicies.Admin).WithTags("Users");
        api.MapPost("/users", CreateUserAsync).RequireAuthorization(ApiPolicies.Admin).WithTags("Users");
        api.MapGet("/user", GetCurrentUserAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Users");
        api.MapPost("/tokens", CreateTokenAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Users");
        api.MapDelete("/tokens/{id:long}", RevokeTokenAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Users");
    }

    private static async Task<UserResponse[]> ListUsersAsync(IIdentityStore identities, CancellationToken cancellationToken)
    {
        var users = await identities.ListUsersAsync(cancellationToken).ConfigureAwait(false);
        return [.. users.Select(ToResponse)];
    }

    private static async Task<IResult> GetCurrentUserAsync(ClaimsPrincipal principal, IIdentityStore identities, CancellationToken cancellationToken)
    {
        var caller = Caller.From(principal)!;
        var user = await identities.GetUserAsync(caller.Name, cancellationToken).ConfigureAwait(false);
        return user is null ? Problems.NotFound($"User '{caller.Name}' no longer exists.") : TypedResults.Ok(ToResponse(user));
    }

    private static async Task<IResult> CreateUserAsync(
        UserCreateRequest request,
        ClaimsPrincipal principal,
        IIdentityStore identities,
        IAuditTrail audit,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var caller = Caller.From(principal)!;
        if (!Names.IsValid(request.Name))
        {
            return Problems.Invalid(Names.Rule("user"));
        }

        if (!ApiRoles.TryParse(request.Role, out var role))
        {
            return Problems.Invalid($"The role '{request.Role}' is not one of {string.Join(", ", ApiRoles.Names)}.");
        }

        var emails = request.Emails ?? [];
        if (emails.FirstOrDefault(e => !IsEmail(e)) is { } badEmail)
        {
            return Problems.Invalid($"'{badEmail}' is not an email address.");
        }

        var environments = request.Environments ?? [];
        if (environments.FirstOrDefault(e => !Names.IsValid(e)) is { } badEnvironment)
        {
            return Problems.Invalid($"'{badEnvironment}': {Names.Rule("environment")}");
        }

        if (environments.Count > 0 && role != ApiRole.Approver)
        {
            return Problems.Invalid("Only the approver role can be limited to environments (--env).");
        }

        var user = await identities.CreateUserAsync(new NewUser(request.Name, [.. emails.Distinct(StringComparer.OrdinalIgnoreCase)], role.Value, [.. environments.Distinct(StringComparer.OrdinalIgnoreCase)]), cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return Problems.Conflict($"A user named '{request.Name}' exists already.");
        }

        var token = ApiTokens.Generate();
        var record = (await identities.CreateTokenAsync(user.Name, "created with the user", ApiTokens.Hash(token), cancellationToken).ConfigureAwait(false))!;
        await audit.AppendAsync(new AuditRecord(caller.Name, "user.create", "user/" + user.Name, After: $"role={ApiRoles.Name(user.Role)}; environments={string.Join(",", user.Environments)}; emails={string.Join(",", user.Emails)}"), cancellationToken).ConfigureAwait(false);
        AuthLog.UserCreated(loggers.CreateLogger(typeof(UserEndpoints)), user.Name, ApiRoles.Name(user.Role), caller.Name);
        return TypedResults.Created($"/api/v1/users/{user.Name}", new UserCreatedResponse(ToResponse(user), ToResponse(record, token)));
    }

    private static async Task<IResult> CreateTokenAsync(
        TokenCreateRequest request,
        ClaimsPrincipal principal,
        IIdentityStore identities,
        IAuditTrail audit,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var caller = Caller.From(principal)!;
        var userName = request.User ?? caller.Name;
        if (!string.Equals(userName, caller.Name, StringComparison.OrdinalIgnoreCase) && !caller.Has(ApiRole.Admin))
        {
            return Problems.Forbidden($"Only an admin can create a token for another user; you are '{caller.Name}'.");
        }

        var name = string.IsNullOrWhiteSpace(request.Name) ? "token" : request.Name.Trim();
        if (name.Length > 200)
        {
            return Problems.Invalid("A token name is at most 200 characters.");
        }

        var token = ApiTokens.Generate();
        var record = await identities.CreateTokenAsync(userName, name, ApiTokens.Hash(token), cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return Problems.NotFound($"There is no user '{userName}'.");
        }

        await audit.AppendAsync(new AuditRecord(caller.Name, "token.create", $"token/{record.Id}", After: $"user={record.UserName}; name={record.Name}"), cancellationToken).ConfigureAwait(false);
        AuthLog.TokenCreated(loggers.CreateLogger(typeof(UserEndpoints)), record.Id, record.UserName, caller.Name);
        return TypedResults.Created($"/api/v1/tokens/{record.Id}", ToResponse(record, token));
    }

    private static async Task<IResult> RevokeTokenAsync(
        long id,
        ClaimsPrincipal principal,
        IIdentityStore identities,
        IAuditTrail audit,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var caller = Caller.From(principal)!;
        var token = await identities.GetTokenAsync(id, cancellationToken).ConfigureAwait(false);
        if (token is null)
        {
            return Problems.NotFound($"There is no token {id}.");
        }

        if (!string.Equals(token.UserName, caller.Name, StringComparison.OrdinalIgnoreCase) && !caller.Has(ApiRole.Admin))
        {
            return Problems.Forbidden($"Token {id} belongs to another user; only an admin can revoke it.");
        }

        if (!await identities.RevokeTokenAsync(id, cancellationToken).ConfigureAwait(false))
        {
            return Problems.Conflict($"Token {id} was revoked already.");
        }

        await audit.AppendAsync(new AuditRecord(caller.Name, "token.revoke", $"token/{id}", Before: $"user={token.UserName}; name={token.Name}"), cancellationToken).ConfigureAwait(false);
        AuthLog.TokenRevoked(loggers.CreateLogger(typeof(UserEndpoints)), id, caller.Name);
        return TypedResults.NoContent();
    }

    private static bool IsEmail(string? text) =>
        text is { Length: > 2 and <= 254 } && text.IndexOf('@', StringComparison.Ordinal) is > 0 and var at && at < text.Length - 1 && !text.Any(char.IsWhiteSpace);

    internal static UserResponse ToResponse(UserRecord user) =>
        new(user.Name, user.Emails, ApiRoles.Name(user.Role), user.Environments, user.CreatedAt);

    private static TokenResponse ToResponse(TokenRecord token, string? secret) =>
        new(token.Id, token.UserName, token.Name, token.CreatedAt, token.RevokedAt, secret);

}
