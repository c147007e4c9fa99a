using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shipgate.Server.Api;
using Shipgate.Server.Auth;
using Shipgate.Server.Hosting;

namespace Shipgate.Server.Ui;

/// <summary>
/// <c>POST /api/v1/ui-links</c> (<c>shipgate ui-link</c>): a one-time link that signs the calling token's user in to the
/// web UI, as Jupyter's token links do. The session it opens is tied to that token: revoking the token ends it.
/// </summary>
internal static class UiLinkEndpoints
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/ui-links", CreateAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Users")
            .WithSummary("A one-time sign-in link to the web UI for the calling token's user, valid for 10 minutes.")
            .Produces<UiLinkResponse>();

    private static async Task<IResult> CreateAsync(HttpContext context, ServerStore store, UiListeners listeners, TimeProvider time)
    {
        var token = context.Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
        var expires = time.GetUtcNow() + UiEndpoints.SignInLinkLifetime;
        var ticket = await store.Store.Sessions.CreateSignInTicketForTokenAsync(token, UiEndpoints.SignInLinkLifetime, context.RequestAborted).ConfigureAwait(false);
        return ticket is null || listeners.Url is not { } ui
            ? Problems.Forbidden("The token cannot sign in: it was revoked or its user disabled.")
            : TypedResults.Ok(new UiLinkResponse(new Uri(ui, "signin/" + ticket).ToString(), expires));
    }
}
