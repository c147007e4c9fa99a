using System.Globalization;
using System.Security.Claims;
using Shipgate.Storage.Users;

namespace Shipgate.Server.Auth;

/// <summary>Who made an API call: the token's user, role and (for approvers) environments.</summary>
internal sealed record Caller(long UserId, string Name, UserRole Role, IReadOnlyList<string> Environments)
{
    public const string RoleClaim = "shipgate:role";
    public const string EnvironmentClaim = "shipgate:environment";
    public const string UserIdClaim = "shipgate:user";

    /// <summary>The caller of an authenticated request; null for an anonymous one.</summary>
    public static Caller? From(ClaimsPrincipal principal)
    {
        if (principal.Identity is not { IsAuthenticated: true, Name: { } name }
            || !ApiRoles.TryParse(principal.FindFirstValue(RoleClaim), out var role))
        {
            return null;
        }

        var environments = principal.FindAll(EnvironmentClaim).Select(c => c.Value).ToList();
        var userId = long.Parse(principal.FindFirstValue(UserIdClaim) ?? "0", CultureInfo.InvariantCulture);
        return new Caller(userId, name, role.Value, environments);
    }

    public static ClaimsPrincipal ToPrincipal(UserRecord user, string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, user.Name),
            new(RoleClaim, ApiRoles.Name(user.Role)),
            new(UserIdClaim, user.Id.ToString(CultureInfo.InvariantCulture)),
        };
        claims.AddRange(user.Environments.Select(e => new Claim(EnvironmentClaim, e)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    public bool Has(UserRole required) => Role >= required;

    /// <summary>True when the caller may decide approvals for <paramref name="environment"/>: an admin, or an approver of it (or of every environment).</summary>
    public bool CanApproveIn(string environment) =>
        Role == UserRole.Admin
        || (Role == UserRole.Approver && (Environments.Count == 0 || Environments.Contains(environment, StringComparer.OrdinalIgnoreCase)));
}
