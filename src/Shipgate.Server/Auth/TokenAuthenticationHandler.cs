using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Flags;

namespace Shipgate.Server.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;token&gt;</c> against the store, which keeps only the
/// tokens' SHA-256 hashes; a missing header is anonymous; a malformed, unknown or revoked token fails.
/// </summary>
internal sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ServerStore store)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    /// <summary>HttpContext.Items key of the sentence saying why a token was refused (used in the 401 body).</summary>
    public const string FailureItem = "shipgate.auth.failure";

    private const int MaxTokenLength = 512;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        // A flag client key is no user's token: the flag endpoints check it themselves (Flags/FlagReaders), the API refuses it.
        if (header.StartsWith("Bearer " + FlagStore.KeyPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7 || header.Length > MaxTokenLength)
        {
            return Fail("The Authorization header must be 'Bearer <token>'.");
        }

        var user = await store.Store.Users.AuthenticateAsync(header[7..].Trim(), Context.RequestAborted).ConfigureAwait(false);
        if (user is null)
        {
            AuthLog.TokenRefused(Logger, Request.Path);
            return Fail("The API token is not valid: it is unknown or was revoked, or its user is disabled.");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(Caller.ToPrincipal(user, SchemeName), SchemeName));
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureItem] = reason;
        return AuthenticateResult.Fail(reason);
    }
}
