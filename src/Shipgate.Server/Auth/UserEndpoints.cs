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
        api.MapPost("/users/{name}/emails", (string name, UserIdentityRequest request, ClaimsPrincipal principal, ServerStore store, CancellationToken cancellationToken) =>
            ChangeIdentityAsync(name, Identity.Email, request.Value, add: true, principal, store, cancellationToken)).RequireAuthorization(ApiPolicies.Admin).WithTags("Users").Produces<UserResponse>().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete("/users/{name}/emails/{email}", (string name, string email, ClaimsPrincipal principal, ServerStore store, CancellationToken cancellationToken) =>
            ChangeIdentityAsync(name, Identity.Email, email, add: false, principal, store, cancellationToken)).RequireAuthorization(ApiPolicies.Admin).WithTags("Users").Produces<UserResponse>();
        api.MapPost("/users/{name}/logins", (string name, UserIdentityRequest request, ClaimsPrincipal principal, ServerStore store, CancellationToken cancellationToken) =>
            ChangeIdentityAsync(name, Identity.Login, request.Value, add: true, principal, store, cancellationToken)).RequireAuthorization(ApiPolicies.Admin).WithTags("Users").Produces<UserResponse>().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete("/users/{name}/logins/{login}", (string name, string login, ClaimsPrincipal principal, ServerStore store, CancellationToken cancellationToken) =>
            ChangeIdentityAsync(name, Identity.Login, login, add: false, principal, store, cancellationToken)).RequireAuthorization(ApiPolicies.Admin).WithTags("Users").Produces<UserResponse>();
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

        var logins = request.Logins ?? [];
        if (logins.FirstOrDefault(l => !IsLogin(l)) is { } badLogin)
        {
            return Problems.Invalid(LoginRule(badLogin));
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
            Logins = [.. logins.Distinct(StringComparer.OrdinalIgnoreCase)],
            Environments = [.. environments.Distinct(StringComparer.OrdinalIgnoreCase)],
        };
        var after = JsonSerializer.Serialize(new UserResponse(newUser.Name, newUser.Emails, ApiRoles.Name(newUser.Role), newUser.Environments, default, newUser.Logins), ApiJsonContext.Default.UserResponse);
        var users = store.Store.Users;
        var user = await users.CreateUserAsync(newUser, Audit(caller, "user.create", "user/" + request.Name, after: after), cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return Problems.Conflict(await users.GetUserAsync(request.Name, cancellationToken).ConfigureAwait(false) is { } existing
                ? existing.Name == request.Name
                    ? $"A user named '{request.Name}' exists already."
                    : $"A user named '{existing.Name}' exists already, and user names are compared without case."
                : "One of the emails or logins belongs to another user already.");
        }

        var token = await users.CreateTokenAsync(user.Id, "created with the user", Audit(caller, "token.create", "user/" + user.Name), cancellationToken).ConfigureAwait(false);
        AuthLog.UserCreated(loggers.CreateLogger(typeof(UserEndpoints)), user.Name, ApiRoles.Name(user.Role), caller.Name);
        return TypedResults.Created($"/api/v1/users/{user.Name}", new UserCreatedResponse(ToResponse(user), ToResponse(token.Record, user.Name, token.Token)));
    }

    /// <summary>Adds or removes one of a user's emails or logins, audited; nothing changes when it is refused.</summary>
    private static async Task<IResult> ChangeIdentityAsync(string name, Identity kind, string? value, bool add, ClaimsPrincipal principal, ServerStore store, CancellationToken cancellationToken)
    {
        var caller = Caller.From(principal)!;
        var what = kind == Identity.Email ? "email" : "login";
        if (add && (kind == Identity.Email ? !IsEmail(value) : !IsLogin(value)))
        {
            return Problems.Invalid(kind == Identity.Email ? $"'{value}' is not an email address." : LoginRule(value));
        }

        var users = store.Store.Users;
        if (await users.GetUserAsync(name, cancellationToken).ConfigureAwait(false) is not { } user)
        {
            return Problems.NotFound($"There is no user '{name}'.");
        }

        var audit = Audit(caller, $"user.{what}.{(add ? "add" : "remove")}", "user/" + user.Name, after: JsonSerializer.Serialize(value!, ApiJsonContext.Default.String));
        var change = (kind, add) switch
        {
            (Identity.Email, true) => await users.AddEmailAsync(user.Id, value!, audit, cancellationToken).ConfigureAwait(false),
            (Identity.Email, false) => await users.RemoveEmailAsync(user.Id, value!, audit, cancellationToken).ConfigureAwait(false),
            (_, true) => await users.AddLoginAsync(user.Id, value!, audit, cancellationToken).ConfigureAwait(false),
            _ => await users.RemoveLoginAsync(user.Id, value!, audit, cancellationToken).ConfigureAwait(false),
        };
        return change switch
        {
            IdentityChange.Taken => Problems.Conflict($"The {what} '{value}' belongs to a user already; an {what} maps to one user only."),
            IdentityChange.NotFound => Problems.NotFound($"User '{user.Name}' has no {what} '{value}'."),
            _ => TypedResults.Ok(ToResponse((await users.GetUserAsync(user.Id, cancellationToken).ConfigureAwait(false))!)),
        };
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

    /// <summary>A git host login: <c>github:alice</c> (a host of lower-case letters, digits, '.' or '-', a colon, a name of at most 100 characters).</summary>
    private static bool IsLogin(string? text) =>
        text is { Length: > 2 and <= 140 } && text.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon && colon < text.Length - 1
        && text[..colon].All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-')
        && text[(colon + 1)..].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static string LoginRule(string? login) => $"'{login}' is not a git host login such as github:alice (the host, a colon, then the login).";

    internal static UserResponse ToResponse(UserRecord user) =>
        new(user.Name, user.Emails, ApiRoles.Name(user.Role), user.Environments, user.CreatedAt, user.Logins);

    private enum Identity
    {
        Email,
        Login,
    }

    private static TokenResponse ToResponse(ApiTokenRecord token, string userName, string? secret) =>
        new(token.Id, userName, token.Name, token.CreatedAt, token.RevokedAt, secret);
}
