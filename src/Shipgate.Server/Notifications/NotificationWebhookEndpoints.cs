using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shipgate.Server.Api;
using Shipgate.Server.Auth;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Notifications;

namespace Shipgate.Server.Notifications;

/// <summary>
/// <c>/api/v1/webhooks</c>: the outgoing webhooks (admin only: their URLs are secrets). Adding and
/// removing one is audited with the URL's scheme, host and port only.
/// </summary>
internal static class NotificationWebhookEndpoints
{
    private const int MaxSecretLength = 1024;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/webhooks", AddAsync).RequireAuthorization(ApiPolicies.Admin).WithTags("Webhooks").Produces<NotificationWebhookResponse>(StatusCodes.Status201Created);
        api.MapGet("/webhooks", ListAsync).RequireAuthorization(ApiPolicies.Admin).WithTags("Webhooks").Produces<NotificationWebhookResponse[]>();
        api.MapDelete("/webhooks/{id:long}", RemoveAsync).RequireAuthorization(ApiPolicies.Admin).WithTags("Webhooks");
    }

    private static async Task<IResult> AddAsync(NotificationWebhookRequest request, ClaimsPrincipal principal, ServerStore store, WebhookNotifier notifier, CancellationToken cancellationToken)
    {
        if (WebhookUrl.Problem(request.Url) is { } problem)
        {
            return Problems.Invalid(problem);
        }

        var format = request.Format?.ToLowerInvariant() switch
        {
            null or "json" => NotificationFormat.Json,
            "slack" => NotificationFormat.Slack,
            _ => (NotificationFormat?)null,
        };
        if (format is null)
        {
            return Problems.Invalid($"'{request.Format}' is not a webhook format: use json or slack.");
        }

        var events = (request.Events ?? []).Select(e => e.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        if (events.FirstOrDefault(e => !NotificationEvents.All.Contains(e, StringComparer.Ordinal)) is { } unknown)
        {
            return Problems.Invalid($"'{unknown}' is not a notification event: use {string.Join(", ", NotificationEvents.All)}.");
        }

        if (request.Secret is { Length: 0 or > MaxSecretLength })
        {
            return Problems.Invalid($"A webhook secret has 1 to {MaxSecretLength} characters.");
        }

        long? projectId = null;
        if (request.Project is { } projectName)
        {
            var project = await store.Store.Projects.GetByNameAsync(projectName, cancellationToken).ConfigureAwait(false);
            if (project is null)
            {
                return Problems.NotFound($"There is no project '{projectName}'.");
            }

            projectId = project.Id;
        }

        var caller = Caller.From(principal)!;
        var display = WebhookUrl.Display(request.Url);
        var added = await store.Store.Notifications.AddWebhookAsync(
            new NewNotificationWebhook
            {
                Url = request.Url,
                DisplayUrl = display,
                Format = format.Value,
                ProjectId = projectId,
                Events = events,
                Secret = request.Secret,
                CreatedBy = caller.Name,
            },
            id => UserEndpoints.Audit(caller, "webhook.add", $"webhook/{id}", after: Describe(id, display, format.Value, request.Project, events, request.Secret is not null)),
            cancellationToken).ConfigureAwait(false);
        notifier.Wake();
        return TypedResults.Created($"/api/v1/webhooks/{added.Id}", Response(added, request.Project, null));
    }

    private static async Task<IResult> ListAsync(ServerStore store, CancellationToken cancellationToken)
    {
        var webhooks = await store.Store.Notifications.ListWebhooksAsync(cancellationToken).ConfigureAwait(false);
        var projects = (await store.Store.Projects.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Id, p => p.Name);
        var responses = new List<NotificationWebhookResponse>();
        foreach (var webhook in webhooks)
        {
            var last = (await store.Store.Notifications.ListOutboxAsync(webhook.Id, 1, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            responses.Add(Response(webhook, webhook.ProjectId is { } id ? projects.GetValueOrDefault(id) : null, last));
        }

        return TypedResults.Ok(responses.ToArray());
    }

    private static async Task<IResult> RemoveAsync(long id, ClaimsPrincipal principal, ServerStore store, CancellationToken cancellationToken)
    {
        var webhook = await store.Store.Notifications.GetWebhookAsync(id, cancellationToken).ConfigureAwait(false);
        if (webhook is null)
        {
            return Problems.NotFound($"There is no webhook {id}.");
        }

        var caller = Caller.From(principal)!;
        var before = Describe(id, webhook.DisplayUrl, webhook.Format, null, webhook.Events, webhook.Secret is not null);
        return await store.Store.Notifications.RemoveWebhookAsync(id, UserEndpoints.Audit(caller, "webhook.remove", $"webhook/{id}", before: before), cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : Problems.NotFound($"There is no webhook {id}.");
    }

    private static NotificationWebhookResponse Response(NotificationWebhook webhook, string? project, OutboxEntry? last) => new(
        webhook.Id,
        webhook.DisplayUrl,
        FormatName(webhook.Format),
        project,
        webhook.Events,
        webhook.Secret is not null,
        webhook.CreatedBy,
        webhook.CreatedAt,
        last?.Status.ToString().ToLowerInvariant(),
        last?.LastError);

    private static string FormatName(NotificationFormat format) => format == NotificationFormat.Slack ? "slack" : "json";

    /// <summary>The webhook as the audit log keeps it: never the URL's path or the secret.</summary>
    private static string Describe(long id, string display, NotificationFormat format, string? project, IReadOnlyList<string> events, bool signed) =>
        JsonSerializer.Serialize(new NotificationWebhookResponse(id, display, FormatName(format), project, events, signed, "", default), ApiJsonContext.Default.NotificationWebhookResponse);
}
