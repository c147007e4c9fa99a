using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Shipgate.Server.Api;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Audit;
using Shipgate.Storage.Users;

namespace Shipgate.Server.Auth;

/// <summary><c>/api/v1/users</c> and <c>/api/v1/tokens</c>: users (admins only) and API tokens.</summary>
internal static class UserEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/users", ListUsersAsync).RequireAuthorization(ApiPolicies.Admin).WithTags("Users");
        api.MapPost("/users", CreateUserAsync).RequireAuthorization(ApiPolicies.Admin).WithTags("Users").Produces<UserCreatedResponse>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/user", GetCurrentUserAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Users").Produces<UserResponse>();
        api.MapGet("/tokens", ListTokensAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Users");
        api.MapPost("/tokens", CreateTokenAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Users").Produces<TokenResponse>(StatusCodes.Status201Created);
        api.MapDelete("/tokens/{id:long}", RevokeTokenAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Users");
    }

    private static async Task<UserResponse[]> ListUsersAsync(ServerStore store, CancellationToken cancellationToken)
    {
        var users = await store.Store.Users.ListUsersAsync(cancellationToken).ConfigureAwait(false);
        return [.. users.Select(ToResponse)];
    }

    private static async Task<IResult> GetCurrentUserAsync(ClaimsPrincipal principal, ServerStore store, CancellationToken cancellationToken)
    {
        var caller = Caller.From(principal)!;
        var user = await store.Store.Users.GetUserAsync(caller.UserId, cancellationToken).ConfigureAwait(false);
        return user is null ? Problems.NotFound($"User '{caller.Name}' no longer exists.") : TypedResults.Ok(ToResponse(user));
    }

    private static async Task<IResult> CreateUserAsync(UserCreateRequest request, ClaimsPrincipal principal, ServerStore store, ILoggerFactory loggers, CancellationToken cancellationToken)
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

        if (environments.Count > 0 && role != UserRole.Approver)
        {
            return Problems.Invalid("Only the approver role can be limited to environments (--env).");
        }

        var newUser = new NewUser
        {
            Name = request.Name,
            Role = role.Value,
            Emails = [.. emails.Distinct(StringComparer.OrdinalIgnoreCase)],
            Environments = [.. environments.Distinct(StringComparer.OrdinalIgnoreCase)],
        };
        var after = JsonSerializer.Serialize(new UserResponse(newUser.Name, newUser.Emails, ApiRoles.Name(newUser.Role), newUser.Environments, default), ApiJsonContext.Default.UserResponse);
        var users = store.Store.Users;
        var user = await users.CreateUserAsync(newUser, Audit(caller, "user.create", "user/" + request.Name, after: after), cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return Problems.Conflict(await users.GetUserAsync(request.Name, cancellationToken).ConfigureAwait(false) is not null
                ? $"A user named '{request.Name}' exists already."
                : "One of the emails belongs to another user already.");
        }

        var token = await users.CreateTokenAsync(user.Id, "created with the user", Audit(caller, "token.create", "user/" + user.Name), cancellationToken).ConfigureAwait(false);
        AuthLog.UserCreated(loggers.CreateLogger(typeof(UserEndpoints)), user.Name, ApiRoles.Name(user.Role), caller.Name);
        return TypedResults.Created($"/api/v1/users/{user.Name}", new UserCreatedResponse(ToResponse(user), ToResponse(token.Record, user.Name, token.Token)));
    }

    private static async Task<TokenResponse[]> ListTokensAsync(ClaimsPrincipal principal, ServerStore store, CancellationToken cancellationToken)
    {
        var caller = Caller.From(principal)!;
        var tokens = await store.Store.Users.ListTokensAsync(caller.UserId, cancellationToken).ConfigureAwait(false);
        return [.. tokens.Select(t => ToResponse(t, caller.Name, null))];
    }

    private static async Task<IResult> CreateTokenAsync(TokenCreateRequest request, ClaimsPrincipal principal, ServerStore store, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var caller = Caller.From(principal)!;
        var userName = request.User ?? caller.Name;
        if (!string.Equals(userName, caller.Name, StringComparison.OrdinalIgnoreCase) && !caller.Has(UserRole.Admin))
        {
            return Problems.Forbidden($"Only an admin can create a token for another user; you are '{caller.Name}'.");
        }

        var name = string.IsNullOrWhiteSpace(request.Name) ? "token" : request.Name.Trim();
        if (name.Length > 200)
        {
            return Problems.Invalid("A token name is at most 200 characters.");
        }

        var users = store.Store.Users;
        var user = await users.GetUserAsync(userName, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return Problems.NotFound($"There is no user '{userName}'.");
        }

        var token = await users.CreateTokenAsync(user.Id, name, Audit(caller, "token.create", "user/" + user.Name, after: JsonSerializer.Serialize(name, ApiJsonContext.Default.String)), cancellationToken).ConfigureAwait(false);
        AuthLog.TokenCreated(loggers.CreateLogger(typeof(UserEndpoints)), token.Record.Id, user.Name, caller.Name);
        return TypedResults.Created($"/api/v1/tokens/{token.Record.Id}", ToResponse(token.Record, user.Name, token.Token));
    }

    private static async Task<IResult> RevokeTokenAsync(long id, ClaimsPrincipal principal, ServerStore store, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var caller = Caller.From(principal)!;
        var users = store.Store.Users;
        var own = (await users.ListTokensAsync(caller.UserId, cancellationToken).ConfigureAwait(false)).Any(t => t.Id == id);
        if (!own && !caller.Has(UserRole.Admin))
        {
            // Other users' token ids are not disclosed: not yours is "not found".
            return Problems.NotFound($"You have no token {id}.");
        }

        if (!await users.RevokeTokenAsync(id, Audit(caller, "token.revoke", $"token/{id}"), cancellationToken).ConfigureAwait(false))
        {
            return Problems.Conflict($"Token {id} does not exist or was revoked already.");
        }

        AuthLog.TokenRevoked(loggers.CreateLogger(typeof(UserEndpoints)), id, caller.Name);
        return TypedResults.NoContent();
    }

    internal static NewAuditEntry Audit(Caller caller, string action, string target, string? reason = null, string? before = null, string? after = null) =>
        new() { Actor = caller.Name, Action = action, Target = target, Reason = reason, BeforeJson = before, AfterJson = after };

    private static bool IsEmail(string? text) =>
        text is { Length: > 2 and <= 254 } && text.IndexOf('@', StringComparison.Ordinal) is > 0 and var at && at < text.Length - 1 && !text.Any(char.IsWhiteSpace);

    internal static UserResponse ToResponse(UserRecord user) =>
        new(user.Name, user.Emails, ApiRoles.Name(user.Role), user.Environments, user.CreatedAt);

    private static TokenResponse ToResponse(ApiTokenRecord token, string userName, string? secret) =>
        new(token.Id, userName, token.Name, token.CreatedAt, token.RevokedAt, secret);
}
