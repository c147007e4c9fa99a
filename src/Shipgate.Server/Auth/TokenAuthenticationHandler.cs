using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Shipgate.Server.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;token&gt;</c>: the token's SHA-256 is looked up in the
/// identity store; a missing header is anonymous, a malformed, unknown or revoked token fails.
/// </summary>
internal sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IIdentityStore identities)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    /// <summary>HttpContext.Items key of the sentence saying why a token was refused (used in the 401 body).</summary>
    public const string FailureItem = "shipgate.auth.failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return Fail("The Authorization header must be 'Bearer <token>'.");
        }

        var token = header[7..].Trim();
        var found = await identities.FindTokenAsync(ApiTokens.Hash(token), Context.RequestAborted).ConfigureAwait(false);
        if (found is not { } owner)
        {
            AuthLog.TokenRefused(Logger, Request.Path);
            return Fail("The API token is not valid: it is unknown or was revoked.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, owner.User.Name),
            new(Caller.RoleClaim, ApiRoles.Name(owner.User.Role)),
            new(Caller.TokenClaim, owner.Token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        claims.AddRange(owner.User.Environments.Select(e => new Claim(Caller.EnvironmentClaim, e)));
        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureItem] = reason;
        return AuthenticateResult.Fail(reason);
    }
}
