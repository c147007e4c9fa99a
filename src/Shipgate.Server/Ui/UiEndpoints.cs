using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Shipgate.Delivery.Approvals;
using Shipgate.Server.Approvals;
using Shipgate.Server.Auth;
using Shipgate.Server.Hosting;
using Shipgate.Server.Runs;
using Shipgate.Server.Ui.Slices;
using Shipgate.Storage.Audit;
using Shipgate.Storage.Users;

namespace Shipgate.Server.Ui;

/// <summary>
/// The web UI on its own port (ADR 0032): sign-in, the release board and the audit log, rendered on the server with Razor
/// Slices. Every page checks the session against the store; every form that changes something carries an anti-forgery
/// token and is checked again on the server with the API's roles and services.
/// </summary>
internal static class UiEndpoints
{
    /// <summary>The content security policy: the UI's own script, styles and images only, no inline script, no framing.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>How long a one-time sign-in link works.</summary>
    public static readonly TimeSpan SignInLinkLifetime = TimeSpan.FromMinutes(10);

    /// <summary>The metadata that marks an endpoint as the UI's: it answers only on the UI's port.</summary>
    public static readonly object Marker = new UiEndpointMarker();

    private static readonly TimeSpan BoardPollInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Splits the ports: a UI endpoint asked on the API's port, or any other endpoint asked on the UI's port, is not found;
    /// and every answer on the UI's port carries the safety headers.
    /// </summary>
    public static void UsePortSplit(this WebApplication app)
    {
        var listeners = app.Services.GetRequiredService<UiListeners>();
        app.Use((context, next) =>
        {
            var onUi = listeners.IsUi(context);
            if ((context.GetEndpoint()?.Metadata.GetMetadata<UiEndpointMarker>() is not null) != onUi)
            {
                context.SetEndpoint(null);
            }

            if (onUi)
            {
                context.Response.OnStarting(() =>
                {
                    var headers = context.Response.Headers;
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
                    headers.XContentTypeOptions = "nosniff";
                    headers.XFrameOptions = "DENY";
                    headers["Referrer-Policy"] = "no-referrer";
                    if (!headers.ContainsKey("ETag"))
                    {
                        headers.CacheControl = "no-store";
                    }

                    return Task.CompletedTask;
                });
            }

            return next(context);
        });
    }

    public static void Map(WebApplication app)
    {
        var ui = app.MapGroup(string.Empty).WithMetadata(Marker).ExcludeFromDescription();
        ui.MapGet("/assets/{name}", (HttpContext context, string name) => UiAssets.Serve(context, name));
        ui.MapGet("/signin", (HttpContext context, IAntiforgery forgery) => SignInPage(context, forgery, null, StatusCodes.Status200OK));
        ui.MapPost("/signin", SignInAsync);
        ui.MapGet("/signin/{ticket}", RedeemAsync);
        ui.MapPost("/signout", SignOutAsync);
        ui.MapGet("/", BoardAsync);
        ui.MapGet("/board/grid", GridAsync);
        ui.MapGet("/events/board", BoardEventsAsync);
        ui.MapGet("/audit", AuditAsync);
        ui.MapPost("/approvals/{id:long}/approve", (HttpContext context, long id, ServerStore store, IAntiforgery forgery, ApprovalService approvals) =>
            DecideAsync(context, id, ReviewVerdict.Approve, store, forgery, approvals));
        ui.MapPost("/approvals/{id:long}/reject", (HttpContext context, long id, ServerStore store, IAntiforgery forgery, ApprovalService approvals) =>
            DecideAsync(context, id, ReviewVerdict.Reject, store, forgery, approvals));
    }

    private static IResult SignInPage(HttpContext context, IAntiforgery forgery, string? error, int status)
    {
        var frame = new UiFrame("Sign in", null, null, forgery.GetAndStoreTokens(context), [], "signin");
        var page = SignIn.Create(new UiView<SignInForm>(frame, new SignInForm(error)));
        page.StatusCode = status;
        return page;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, ServerStore store, IAntiforgery forgery, IOptions<ServerOptions> options)
    {
        if (await RefusedForgeryAsync(context, forgery).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var token = form["token"].ToString().Trim();
        if (token.Length is 0 or > 512)
        {
            return SignInPage(context, forgery, "Paste an API token (shipgate user token create makes one).", StatusCodes.Status400BadRequest);
        }

        var session = await store.Store.Sessions.SignInWithTokenAsync(token, options.Value.UiSessionLifetime, context.RequestAborted).ConfigureAwait(false);
        if (session is null)
        {
            return SignInPage(context, forgery, "That API token is not valid: it is unknown or was revoked, or its user is disabled.", StatusCodes.Status401Unauthorized);
        }

        UiSession.Set(context, session, options.Value.UiSessionLifetime);
        return Results.Redirect("/", permanent: false, preserveMethod: false);
    }

    private static async Task<IResult> RedeemAsync(HttpContext context, string ticket, ServerStore store, IAntiforgery forgery, IOptions<ServerOptions> options)
    {
        var session = ticket.Length <= 128
            ? await store.Store.Sessions.RedeemSignInTicketAsync(ticket, options.Value.UiSessionLifetime, context.RequestAborted).ConfigureAwait(false)
            : null;
        if (session is null)
        {
            return SignInPage(context, forgery, "This sign-in link does not work: it was used already, has expired (links last 10 minutes) or is unknown; run shipgate ui-link for a new one.",
                StatusCodes.Status401Unauthorized);
        }

        UiSession.Set(context, session, options.Value.UiSessionLifetime);
        return Results.Redirect("/");
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, ServerStore store, IAntiforgery forgery)
    {
        // The form's token is bound to the signed-in user; a session that already ended has nothing left to sign out.
        if (await UiSession.AuthenticateAsync(context, store).ConfigureAwait(false) is not null
            && await RefusedForgeryAsync(context, forgery).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        if (context.Request.Cookies[UiSession.CookieName] is { Length: > 0 and <= 128 } id)
        {
            await store.Store.Sessions.DeleteAsync(id, context.RequestAborted).ConfigureAwait(false);
        }

        UiSession.Clear(context);
        return Results.Redirect("/signin");
    }

    private static async Task<IResult> BoardAsync(HttpContext context, ServerStore store, IAntiforgery forgery, ReleaseBoard board)
    {
        if (await UiSession.AuthenticateAsync(context, store).ConfigureAwait(false) is not { } caller)
        {
            return Results.Redirect("/signin");
        }

        var frame = await FrameAsync(context, store, forgery, caller, "Release board", "board").ConfigureAwait(false);
        return Board.Create(new UiView<BoardPage>(frame, await board.BuildAsync(caller, context.RequestAborted).ConfigureAwait(false)));
    }

    private static async Task<IResult> GridAsync(HttpContext context, ServerStore store, IAntiforgery forgery, ReleaseBoard board)
    {
        if (await UiSession.AuthenticateAsync(context, store).ConfigureAwait(false) is not { } caller)
        {
            return Results.Unauthorized();
        }

        var frame = await FrameAsync(context, store, forgery, caller, "Release board", "board").ConfigureAwait(false);
        return BoardGrid.Create(new UiView<BoardPage>(frame, await board.BuildAsync(caller, context.RequestAborted).ConfigureAwait(false)));
    }

    /// <summary>
    /// Server-sent events for the board's script: <c>board</c> whenever what the board shows changed (looked at every
    /// second), so the page refetches its grid. The session is checked at each look: signing out ends the stream, and so
    /// does the server's stop.
    /// </summary>
    private static async Task BoardEventsAsync(HttpContext context, ServerStore store, ReleaseBoard board, TimeProvider time, IHostApplicationLifetime lifetime)
    {
        if (await UiSession.AuthenticateAsync(context, store).ConfigureAwait(false) is not { } caller)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        ServerSentEvents.Start(context);
        string? last = null;
        // A stopping server ends the stream at once rather than waiting for the page to go away.
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var cancellationToken = ended.Token;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var fingerprint = Fingerprint(await board.BuildAsync(caller, cancellationToken).ConfigureAwait(false));
                if (last is not null && fingerprint != last)
                {
                    ServerSentEvents.Write(context.Response, (string?)null, "board", Encoding.UTF8.GetBytes(fingerprint));
                }
                else
                {
                    ServerSentEvents.Comment(context.Response, "unchanged");
                }

                last = fingerprint;
                await context.Response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(BoardPollInterval, time, cancellationToken).ConfigureAwait(false);
                if (await UiSession.AuthenticateAsync(context, store).ConfigureAwait(false) is null)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    /// <summary>A short hash of everything the board's grid shows but the clock, so a change is told once.</summary>
    internal static string Fingerprint(BoardPage page)
    {
        var text = new StringBuilder();
        foreach (var project in page.Projects)
        {
            text.Append(project.Name).Append('|').AppendJoin(',', project.Environments).Append('|');
            foreach (var (environment, waiting) in project.Waiting)
            {
                text.Append(environment).Append(':').AppendJoin(',', waiting.Select(w => w.Id)).Append(';');
            }

            foreach (var row in project.Services)
            {
                text.Append(row.Service).Append('|');
                foreach (var cell in row.Cells)
                {
                    text.Append(cell is null ? "-" : $"{cell.Version}/{cell.CommitSha}/{cell.Subject}/{cell.Status}/{cell.DecidedBy}/{cell.Rollout}").Append('|');
                }
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private static async Task<IResult> AuditAsync(HttpContext context, ServerStore store, IAntiforgery forgery)
    {
        if (await UiSession.AuthenticateAsync(context, store).ConfigureAwait(false) is not { } caller)
        {
            return Results.Redirect("/signin");
        }

        var query = context.Request.Query;
        var filter = new AuditFilter(Field(query["actor"]), Field(query["action"]), Field(query["target"]), Field(query["from"]), Field(query["to"]));
        string? error = null;
        var from = ParseTime(filter.From, "from", ref error);
        var to = ParseTime(filter.To, "to", ref error);
        long? before = long.TryParse(query["before"], NumberStyles.None, CultureInfo.InvariantCulture, out var b) ? b : null;
        const int PageSize = 50;
        IReadOnlyList<AuditEntry> entries = error is not null ? [] : await store.Store.Audit.SearchAsync(
            new AuditQuery { Actor = filter.Actor, Action = filter.Action, TargetPrefix = filter.Target, From = from, To = to, BeforeSequence = before, Limit = PageSize },
            context.RequestAborted).ConfigureAwait(false);
        var verification = await store.Store.Audit.VerifyChainAsync(context.RequestAborted).ConfigureAwait(false);
        var frame = await FrameAsync(context, store, forgery, caller, "Audit log", "audit").ConfigureAwait(false);
        var page = Slices.Audit.Create(new UiView<AuditPage>(frame, new AuditPage(filter, entries, entries.Count == PageSize ? entries[^1].Sequence : null, verification, error)));
        page.StatusCode = error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        return page;
    }

    private static string? Field(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim()[..Math.Min(value.Trim().Length, 200)];

    private static DateTimeOffset? ParseTime(string? value, string name, ref string? error)
    {
        if (value is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        error ??= $"'{name}' is not a time: give a date and time such as 2026-12-07T09:30 (UTC unless it names an offset).";
        return null;
    }

    private static async Task<IResult> DecideAsync(HttpContext context, long id, ReviewVerdict verdict, ServerStore store, IAntiforgery forgery, ApprovalService approvals)
    {
        if (await UiSession.AuthenticateAsync(context, store).ConfigureAwait(false) is not { } caller)
        {
            return Results.Redirect("/signin");
        }

        if (await RefusedForgeryAsync(context, forgery).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        // The API's rule for this action (ApiPolicies.Approver), then the same service the API calls, which checks the rest.
        if (!caller.Has(UserRole.Approver))
        {
            return await MessageAsync(context, store, forgery, caller, StatusCodes.Status403Forbidden, "Not permitted",
                $"You are a {ApiRoles.Name(caller.Role)}: deciding approvals needs the approver or admin role.").ConfigureAwait(false);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var comment = form["comment"].ToString() is { Length: > 0 } text ? text : null;
        var answer = await approvals.DecideAsync(id, caller, verdict, comment, context.RequestAborted).ConfigureAwait(false);
        var status = answer.Outcome switch
        {
            DecisionOutcomeKind.NotFound => StatusCodes.Status404NotFound,
            DecisionOutcomeKind.NotPermitted => StatusCodes.Status403Forbidden,
            DecisionOutcomeKind.Conflict => StatusCodes.Status409Conflict,
            DecisionOutcomeKind.Invalid => StatusCodes.Status400BadRequest,
            _ => StatusCodes.Status200OK,
        };
        return await MessageAsync(context, store, forgery, caller, status, status == StatusCodes.Status200OK ? "Decision recorded" : "Not recorded", answer.Message)
            .ConfigureAwait(false);
    }

    /// <summary>Null when the request carries a valid anti-forgery token; otherwise the page saying it does not (400).</summary>
    private static async Task<IResult?> RefusedForgeryAsync(HttpContext context, IAntiforgery forgery)
    {
        if (await forgery.IsRequestValidAsync(context).ConfigureAwait(false))
        {
            return null;
        }

        var frame = new UiFrame("Refused", null, null, forgery.GetAndStoreTokens(context), [], "message");
        var page = Message.Create(new UiView<UiMessage>(frame, new UiMessage("Refused",
            "The form was not sent from this server's own page (its anti-forgery token is missing or wrong), so nothing was changed; reload the page and try again.", "/")));
        page.StatusCode = StatusCodes.Status400BadRequest;
        return page;
    }

    private static async Task<IResult> MessageAsync(HttpContext context, ServerStore store, IAntiforgery forgery, Caller caller, int status, string heading, string sentence)
    {
        var frame = await FrameAsync(context, store, forgery, caller, heading, "message").ConfigureAwait(false);
        var page = Message.Create(new UiView<UiMessage>(frame, new UiMessage(heading, sentence, "/")));
        page.StatusCode = status;
        return page;
    }

    private static async Task<UiFrame> FrameAsync(HttpContext context, ServerStore store, IAntiforgery forgery, Caller caller, string title, string current)
    {
        var projects = await store.Store.Projects.ListAsync(context.RequestAborted).ConfigureAwait(false);
        return new UiFrame(title, caller.Name, ApiRoles.Name(caller.Role), forgery.GetAndStoreTokens(context), [.. projects.Select(p => p.Name)], current);
    }

    private sealed class UiEndpointMarker;
}
