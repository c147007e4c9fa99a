using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shipgate.Core.Triggers;
using Shipgate.Server.Api;
using Shipgate.Server.Audit;
using Shipgate.Server.Git;
using Shipgate.Server.Hosting;
using Shipgate.Server.Projects;
using Shipgate.Server.Runs;
using Shipgate.Storage.Projects;

namespace Shipgate.Server.Triggers;

/// <summary>
/// <c>POST /api/v1/hooks/github</c>: GitHub-compatible push and pull_request webhooks. The project is
/// named by <c>?project=</c> or found by the payload's repository; the raw body must carry a valid
/// <c>X-Hub-Signature-256</c> with the project's secret (a missing or bad one is refused with 401 and
/// counted in the audit log, one entry per source and minute); the body is size-limited; a redelivery (same <c>X-GitHub-Delivery</c>) is
/// acknowledged without running again. The repository is then fetched and the matching runs queued.
/// </summary>
internal static class GitHubWebhookEndpoint
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/hooks/github", HandleAsync).AllowAnonymous().WithTags("Triggers")
            .WithSummary("GitHub webhook (push, pull_request, ping), verified with X-Hub-Signature-256.")
            .Accepts<JsonElement>("application/json")
            .Produces<WebhookResponse>(StatusCodes.Status202Accepted);

    private static async Task<IResult> HandleAsync(
        HttpContext context,
        ServerStore store,
        ProjectRepositories repositories,
        RunLauncher launcher,
        RejectedRequests rejected,
        IOptions<ServerOptions> options,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(GitHubWebhookEndpoint));
        var limit = options.Value.MaxWebhookBodyBytes;
        var body = await ReadBodyAsync(context, limit, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return Problems.Result(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"The webhook body is larger than {limit} bytes.");
        }

        var eventName = context.Request.Headers["X-GitHub-Event"].ToString();
        if (eventName.Length == 0)
        {
            return Problems.BadRequest("The X-GitHub-Event header is missing: this is not a GitHub webhook delivery.");
        }

        JsonDocument payload;
        try
        {
            payload = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return Problems.BadRequest("The webhook body is not JSON (set the webhook's content type to application/json).");
        }

        using (payload)
        {
            var project = await FindProjectAsync(store, context.Request.Query["project"].ToString(), payload.RootElement, cancellationToken).ConfigureAwait(false);
            if (project is null)
            {
                return Problems.NotFound("No project matches this webhook: add ?project=NAME to its URL, or register the repository with 'shipgate project add'.");
            }

            var delivery = context.Request.Headers["X-GitHub-Delivery"].ToString();
            var secret = await store.Store.Projects.GetWebhookSecretAsync(project.Id, cancellationToken).ConfigureAwait(false);
            var signature = context.Request.Headers[WebhookSignature.HeaderName].ToString();
            if (secret is null || !WebhookSignature.IsValid(body, secret, signature.Length == 0 ? null : signature))
            {
                var reason = secret is null ? "the project has no webhook secret"
                    : signature.Length == 0 ? $"the {WebhookSignature.HeaderName} header is missing"
                    : "the signature does not match the body and the project's secret";
                TriggerLog.WebhookRejected(logger, project.Name, reason);
                // Counted, not audited one by one: unauthenticated callers must not grow the log at will.
                rejected.Record(
                    "webhook.rejected",
                    "webhook:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
                    "project/" + project.Name,
                    reason,
                    new Dictionary<string, string> { ["event"] = eventName, ["delivery"] = delivery });
                return Problems.Result(StatusCodes.Status401Unauthorized, "Bad signature", $"The webhook was refused: {reason}.");
            }

            if (delivery.Length > 0 && !await store.Store.Triggers.TryRecordWebhookDeliveryAsync(delivery[..Math.Min(200, delivery.Length)], project.Id, eventName, signatureOk: true, cancellationToken).ConfigureAwait(false))
            {
                return TypedResults.Ok(new WebhookResponse(project.Name, eventName, [], $"Delivery {delivery} was handled before; nothing more to do."));
            }

            WebhookResponse response;
            try
            {
                response = eventName switch
                {
                    "ping" => new WebhookResponse(project.Name, eventName, [], "pong"),
                    "push" => await HandlePushAsync(project, payload.RootElement, repositories, launcher, cancellationToken).ConfigureAwait(false),
                    "pull_request" => await HandlePullRequestAsync(project, payload.RootElement, repositories, launcher, cancellationToken).ConfigureAwait(false),
                    _ => new WebhookResponse(project.Name, eventName, [], $"The '{eventName}' event starts no run in Shipgate."),
                };
            }
            catch (BadHttpRequestException ex)
            {
                return Problems.Result(ex.StatusCode, "Webhook not handled", ex.Message);
            }

            TriggerLog.WebhookHandled(logger, eventName, delivery, project.Name, response.Runs.Count);
            return response.Runs.Count > 0 || eventName is "push" or "pull_request"
                ? TypedResults.Accepted((string?)null, response)
                : TypedResults.Ok(response);
        }
    }

    private static async Task<WebhookResponse> HandlePushAsync(ProjectRecord project, JsonElement payload, ProjectRepositories repositories, RunLauncher launcher, CancellationToken cancellationToken)
    {
        var gitRef = Text(payload, "ref");
        var before = Text(payload, "before");
        var after = Text(payload, "after");
        if (gitRef is null || after is null)
        {
            throw new BadHttpRequestException("A push payload needs 'ref' and 'after'.", StatusCodes.Status422UnprocessableEntity);
        }

        if (payload.TryGetProperty("deleted", out var deleted) && deleted.ValueKind == JsonValueKind.True || after == GitRepository.ZeroSha)
        {
            return new WebhookResponse(project.Name, "push", [], $"{gitRef} was deleted; nothing to run.");
        }

        var repository = await ReadyRepositoryAsync(project, repositories, after, cancellationToken).ConfigureAwait(false);
        // One git process less on the way to the first step: a diff from an unknown commit fails, and the payload's paths are used.
        var changed = (before is not null && before != GitRepository.ZeroSha
            ? await repository.ChangedPathsAsync(before, after, cancellationToken).ConfigureAwait(false)
            : null) ?? PayloadPaths(payload);
        // The pusher, as GitHub vouches for it: the runs' initiator when they are a user (self-review excludes them).
        var pusher = payload.TryGetProperty("sender", out var sender) && Text(sender, "login") is { Length: > 0 } login ? "github:" + login : null;
        var runs = await launcher.LaunchAsync(project, new TriggerEvent { Name = "push", Ref = gitRef, ChangedPaths = changed }, gitRef, after, pusher, cancellationToken).ConfigureAwait(false);
        return new WebhookResponse(project.Name, "push", [.. runs.Select(r => r.Id)], $"{runs.Count} run(s) queued for {gitRef} at {after[..7]}.");
    }

    private static async Task<WebhookResponse> HandlePullRequestAsync(ProjectRecord project, JsonElement payload, ProjectRepositories repositories, RunLauncher launcher, CancellationToken cancellationToken)
    {
        var action = Text(payload, "action");
        if (!payload.TryGetProperty("pull_request", out var pull) || pull.ValueKind != JsonValueKind.Object
            || !pull.TryGetProperty("base", out var baseBranch) || !pull.TryGetProperty("head", out var head)
            || Text(head, "sha") is not { } headSha || Text(baseBranch, "ref") is not { } baseRef)
        {
            throw new BadHttpRequestException("A pull_request payload needs pull_request.base.ref and pull_request.head.sha.", StatusCodes.Status422UnprocessableEntity);
        }

        var number = payload.TryGetProperty("number", out var n) && n.TryGetInt64(out var value) ? value : 0;
        var repository = await ReadyRepositoryAsync(project, repositories, headSha, cancellationToken).ConfigureAwait(false);
        var baseSha = Text(baseBranch, "sha");
        var changed = baseSha is not null && await repository.ResolveCommitAsync(baseSha, cancellationToken).ConfigureAwait(false) is not null
            ? await repository.ChangedPathsAsync(baseSha, headSha, cancellationToken).ConfigureAwait(false)
            : null;
        var gitRef = $"refs/pull/{number}/head";
        // The pull request's author, as GitHub vouches for it: its runs are theirs (and get secrets only when allowed).
        var author = pull.TryGetProperty("user", out var user) && Text(user, "login") is { Length: > 0 } login ? "github:" + login : "github:unknown";
        var runs = await launcher.LaunchAsync(
            project,
            new TriggerEvent { Name = "pull_request", BaseRef = baseRef, Action = action, ChangedPaths = changed },
            gitRef,
            headSha,
            author,
            cancellationToken).ConfigureAwait(false);
        return new WebhookResponse(project.Name, "pull_request", [.. runs.Select(r => r.Id)], $"{runs.Count} run(s) queued for pull request #{number} ({action}).");
    }

    /// <summary>Fetches a mirrored repository; fails (422) when the commit is still not there.</summary>
    private static async Task<GitRepository> ReadyRepositoryAsync(ProjectRecord project, ProjectRepositories repositories, string sha, CancellationToken cancellationToken)
    {
        if (await repositories.RefreshAsync(project, cancellationToken).ConfigureAwait(false) is { } error)
        {
            throw new BadHttpRequestException(error, StatusCodes.Status502BadGateway);
        }

        var repository = repositories.For(project);
        return await repository.ResolveCommitAsync(sha, cancellationToken).ConfigureAwait(false) is null
            ? throw new BadHttpRequestException($"The commit {sha} is not in the repository of '{project.Name}'.", StatusCodes.Status422UnprocessableEntity)
            : repository;
    }

    private static async Task<ProjectRecord?> FindProjectAsync(ServerStore store, string name, JsonElement payload, CancellationToken cancellationToken)
    {
        if (name.Length > 0)
        {
            return await store.Store.Projects.GetByNameAsync(name, cancellationToken).ConfigureAwait(false);
        }

        if (!payload.TryGetProperty("repository", out var repository) || repository.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var names = new[] { "clone_url", "ssh_url", "git_url", "html_url", "full_name" }.Select(key => Text(repository, key)).OfType<string>().ToList();
        var projects = await store.Store.Projects.ListAsync(cancellationToken).ConfigureAwait(false);
        return projects.FirstOrDefault(p => names.Any(n => string.Equals(Normalize(n), Normalize(p.Repository), StringComparison.OrdinalIgnoreCase)));

        static string Normalize(string url) => url.TrimEnd('/').EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? url.TrimEnd('/')[..^4] : url.TrimEnd('/');
    }

    private static List<string>? PayloadPaths(JsonElement payload)
    {
        if (!payload.TryGetProperty("commits", out var commits) || commits.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var paths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var commit in commits.EnumerateArray())
        {
            foreach (var list in new[] { "added", "modified", "removed" })
            {
                if (commit.TryGetProperty(list, out var files) && files.ValueKind == JsonValueKind.Array)
                {
                    paths.UnionWith(files.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.String).Select(f => f.GetString()!));
                }
            }
        }

        return [.. paths];
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The raw body (the signature covers its exact bytes), or null when it is larger than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, long limit, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > limit)
        {
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit + 1;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.ToArray();
    }
}
