using System.Globalization;
using System.Security.Claims;

namespace Shipgate.Server.Auth;

/// <summary>Who made an API call: the token's user, role and (for approvers) environments.</summary>
internal sealed record Caller(string Name, ApiRole Role, IReadOnlyList<string> Environments, long TokenId)
{
    public const string RoleClaim = "shipgate:role";
    public const string EnvironmentClaim = "shipgate:environment";
    public const string TokenClaim = "shipgate:token";

    /// <summary>The caller of an authenticated request; null for an anonymous one.</summary>
    public static Caller? From(ClaimsPrincipal principal)
    {
        if (principal.Identity is not { IsAuthenticated: true, Name: { } name }
            || !ApiRoles.TryParse(principal.FindFirstValue(RoleClaim), out var role))
        {
            return null;
        }

        var environments = principal.FindAll(EnvironmentClaim).Select(c => c.Value).ToList();
        var tokenId = long.Parse(principal.FindFirstValue(TokenClaim) ?? "0", CultureInfo.InvariantCulture);
        return new Caller(name, role.Value, environments, tokenId);
    }

    public bool Has(ApiRole required) => Role >= required;

    /// <summary>True when the caller may decide approvals for <paramref name="environment"/>: an admin, or an approver of it (or of every environment).</summary>
    public bool CanApproveIn(string environment) =>
        Role == ApiRole.Admin
        || (Role == ApiRole.Approver && (Environments.Count == 0 || Environments.Contains(environment, StringComparer.OrdinalIgnoreCase)));
}
