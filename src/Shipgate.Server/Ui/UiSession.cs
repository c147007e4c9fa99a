using Microsoft.AspNetCore.Http;
using Shipgate.Server.Auth;
using Shipgate.Server.Hosting;

namespace Shipgate.Server.Ui;

/// <summary>
/// The web UI's session cookie: an opaque random id whose SHA-256 names a row of the store (ADR 0032). HttpOnly,
/// SameSite=Strict, Path=/, Secure when the request came over https.
/// </summary>
internal static class UiSession
{
    public const string CookieName = "shipgate_session";

    /// <summary>The scheme name the session's principal carries (anti-forgery tokens are bound to its user).</summary>
    public const string SchemeName = "Session";

    /// <summary>The signed-in caller, checked against the store on every request; null when signed out or no longer valid.</summary>
    public static async Task<Caller?> AuthenticateAsync(HttpContext context, ServerStore store)
    {
        if (context.Request.Cookies[CookieName] is not { Length: > 0 and <= 128 } id)
        {
            return null;
        }

        var user = await store.Store.Sessions.AuthenticateAsync(id, store.Store.Users, context.RequestAborted).ConfigureAwait(false);
        if (user is null)
        {
            return null;
        }

        context.User = Caller.ToPrincipal(user, SchemeName);
        return Caller.From(context.User);
    }

    public static void Set(HttpContext context, string id, TimeSpan lifetime) =>
        context.Response.Cookies.Append(CookieName, id, Options(context, lifetime));

    public static void Clear(HttpContext context) => context.Response.Cookies.Delete(CookieName, Options(context, null));

    private static CookieOptions Options(HttpContext context, TimeSpan? lifetime) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        Secure = context.Request.IsHttps,
        MaxAge = lifetime,
        IsEssential = true,
    };
}
