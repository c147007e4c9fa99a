using System.Security.Cryptography;
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
using Shipgate.Server.Flags;
using Shipgate.Server.Git;
using Shipgate.Server.Hosting;
using Shipgate.Server.Projects;
using Shipgate.Server.Runs;
using Shipgate.Storage.Audit;
using Shipgate.Storage.Projects;
using Shipgate.Storage.Triggers;

namespace Shipgate.Server.Triggers;

/// <summary>
/// <c>POST /api/v1/hooks/github</c>: GitHub-compatible push and pull_request webhooks. The project is
/// named by <c>?project=</c> or found by the payload's repository; the raw body must carry a valid
/// <c>X-Hub-Signature-256</c> with the project's secret (a missing or bad one is refused with 401 and
/// counted in the audit log, one entry per source and minute); the body and headers are size-limited; a redelivery
/// (same <c>X-GitHub-Delivery</c>) is acknowledged without running again, and a replay (the same body under another
/// delivery id, within <see cref="ServerOptions.WebhookDeliveryRetention"/>) is refused with 409 and audited. The
/// repository is then fetched, a pushed commit must be on the pushed ref, and the matching runs are queued in the same
/// transaction that records the delivery.
/// </summary>
internal static class GitHubWebhookEndpoint
{
    /// <summary>The longest X-GitHub-Delivery accepted (GitHub sends a 36-character GUID).</summary>
    public const int MaxDeliveryIdLength = 100;

    /// <summary>The longest X-GitHub-Event (and pull request action) accepted; GitHub's longest event name has 36.</summary>
    public const int MaxEventNameLength = 64;

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
        FlagFileSync flags,
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

        if (eventName.Length > MaxEventNameLength || !eventName.All(c => char.IsAsciiLetterLower(c) || c == '_'))
        {
            return Problems.BadRequest($"The X-GitHub-Event header is not an event name (lower-case letters and _, at most {MaxEventNameLength}).");
        }

        var digest = Convert.ToHexStringLower(SHA256.HashData(body));
        var delivery = context.Request.Headers["X-GitHub-Delivery"].ToString();
        if (delivery.Length > MaxDeliveryIdLength || delivery.Any(char.IsControl))
        {
            return Problems.BadRequest($"The X-GitHub-Delivery header is longer than {MaxDeliveryIdLength} characters or holds control characters.");
        }

        // Without an id, the body's digest names the delivery: a resend is then a redelivery.
        delivery = delivery.Length > 0 ? delivery : "sha256:" + digest;

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

            var recorded = new WebhookDelivery(delivery, project.Id, eventName, digest);
            var status = await store.Store.Triggers.GetWebhookDeliveryStatusAsync(project.Id, delivery, digest, cancellationToken).ConfigureAwait(false);
            LaunchResult launched;
            try
            {
                launched = status != WebhookDeliveryStatus.New ? new LaunchResult(status, []) : eventName switch
                {
                    "push" when IsDeletion(payload.RootElement) => await RecordOnlyAsync().ConfigureAwait(false),
                    "push" => await HandlePushAsync(project, payload.RootElement, repositories, flags, launcher, recorded, cancellationToken)
                        .ConfigureAwait(false),
                    "pull_request" => await HandlePullRequestAsync(project, payload.RootElement, repositories, flags, launcher, recorded, cancellationToken)
                        .ConfigureAwait(false),
                    _ => await RecordOnlyAsync().ConfigureAwait(false),
                };
            }
            catch (BadHttpRequestException ex)
            {
                // A signed delivery that contradicts the repository or breaks a bound is refused and audited; an
                // unreachable repository is not a refusal: the delivery is not recorded, so GitHub's redelivery runs it.
                if (ex.StatusCode == StatusCodes.Status422UnprocessableEntity)
                {
                    TriggerLog.WebhookRejected(logger, project.Name, ex.Message);
                    await AuditAsync(store, context, project, "webhook.refused", ex.Message, eventName, delivery, cancellationToken).ConfigureAwait(false);
                }

                return Problems.Result(ex.StatusCode, "Webhook not handled", ex.Message);
            }

            switch (launched.Delivery)
            {
                case WebhookDeliveryStatus.Redelivered:
                    return TypedResults.Ok(new WebhookResponse(project.Name, eventName, [], $"Delivery {delivery} was handled before; nothing more to do."));
                case WebhookDeliveryStatus.Replayed:
                    const string replayed = "this body was delivered before under another delivery id, so this is a replay";
                    TriggerLog.WebhookRejected(logger, project.Name, replayed);
                    await AuditAsync(store, context, project, "webhook.replayed", replayed, eventName, delivery, cancellationToken).ConfigureAwait(false);
                    return Problems.Result(StatusCodes.Status409Conflict, "Replayed delivery", $"The webhook was refused: {replayed}.");
            }

            var response = new WebhookResponse(project.Name, eventName, [.. launched.Runs.Select(r => r.Id)], Message(eventName, payload.RootElement, launched.Runs.Count));
            TriggerLog.WebhookHandled(logger, eventName, delivery, project.Name, response.Runs.Count);
            return response.Runs.Count > 0 || eventName is "push" or "pull_request"
                ? TypedResults.Accepted((string?)null, response)
                : TypedResults.Ok(response);

            async Task<LaunchResult> RecordOnlyAsync() => new(
                (await store.Store.Triggers.RecordWebhookDeliveryAsync(recorded, [], options.Value.WebhookDeliveryRetention, cancellationToken).ConfigureAwait(false)).Status, []);
        }
    }

    private static bool IsDeletion(JsonElement push) =>
        push.TryGetProperty("deleted", out var deleted) && deleted.ValueKind == JsonValueKind.True || Text(push, "after") == GitRepository.ZeroSha;

    /// <summary>Writes a refused delivery to the audit log (its header fields are bounded before this point).</summary>
    private static Task AuditAsync(
        ServerStore store, HttpContext context, ProjectRecord project, string action, string reason, string eventName, string delivery, CancellationToken cancellationToken) =>
        store.Store.Audit.AppendAsync(
            new NewAuditEntry
            {
                Actor = "webhook:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
                Action = action,
                Target = "project/" + project.Name,
                Reason = reason,
                AfterJson = JsonSerializer.Serialize(new Dictionary<string, string> { ["event"] = eventName, ["delivery"] = delivery }, RunJsonContext.Default.DictionaryStringString),
            },
            cancellationToken);

    private static string Message(string eventName, JsonElement payload, int runs) => eventName switch
    {
        "ping" => "pong",
        "push" when IsDeletion(payload) => $"{Text(payload, "ref")} was deleted; nothing to run.",
        "push" => $"{runs} run(s) queued for {Text(payload, "ref")} at {Text(payload, "after")![..7]}.",
        "pull_request" => $"{runs} run(s) queued for pull request #{PullRequestNumber(payload)} ({Text(payload, "action")}).",
        _ => $"The '{eventName}' event starts no run in Shipgate.",
    };

    private static async Task<LaunchResult> HandlePushAsync(
        ProjectRecord project,
        JsonElement payload,
        ProjectRepositories repositories,
        FlagFileSync flags,
        RunLauncher launcher,
        WebhookDelivery delivery,
        CancellationToken cancellationToken)
    {
        var gitRef = Text(payload, "ref");
        var before = Text(payload, "before");
        var after = Text(payload, "after");
        if (gitRef is null || after is null)
        {
            throw new BadHttpRequestException("A push payload needs 'ref' and 'after'.", StatusCodes.Status422UnprocessableEntity);
        }

        if (!GitRefName.IsValid(gitRef) || !gitRef.StartsWith("refs/heads/", StringComparison.Ordinal) && !gitRef.StartsWith("refs/tags/", StringComparison.Ordinal))
        {
            throw new BadHttpRequestException(
                $"The push's ref is not a branch or tag ref (refs/heads/NAME or refs/tags/NAME, at most {GitRefName.MaxLength} characters).", StatusCodes.Status422UnprocessableEntity);
        }

        if (!GitRefName.IsFullSha(after) || before is not null && !GitRefName.IsFullSha(before))
        {
            throw new BadHttpRequestException("The push's 'before' and 'after' must be full commit SHAs.", StatusCodes.Status422UnprocessableEntity);
        }

        var repository = await ReadyRepositoryAsync(project, repositories, flags, after, cancellationToken).ConfigureAwait(false);
        // The payload names the ref and the commit; only the repository can say the commit is on that ref.
        if (!await repository.IsAncestorAsync(after, gitRef, cancellationToken).ConfigureAwait(false))
        {
            throw new BadHttpRequestException($"The commit {after} is not on {gitRef} in the repository of '{project.Name}'.", StatusCodes.Status422UnprocessableEntity);
        }

        // One git process less on the way to the first step: a diff from an unknown commit fails, and the payload's paths are used.
        var changed = (before is not null && before != GitRepository.ZeroSha
            ? await repository.ChangedPathsAsync(before, after, cancellationToken).ConfigureAwait(false)
            : null) ?? PayloadPaths(payload);
        // The pusher, as GitHub vouches for it: the runs' initiator when they are a user (self-review excludes them).
        var pusher = Login(payload, "sender");
        return await launcher.LaunchAsync(project, new TriggerEvent { Name = "push", Ref = gitRef, ChangedPaths = changed }, gitRef, after, pusher, delivery, cancellationToken)
            .ConfigureAwait(false);
    }

    private static async Task<LaunchResult> HandlePullRequestAsync(
        ProjectRecord project,
        JsonElement payload,
        ProjectRepositories repositories,
        FlagFileSync flags,
        RunLauncher launcher,
        WebhookDelivery delivery,
        CancellationToken cancellationToken)
    {
        var action = Text(payload, "action");
        if (!payload.TryGetProperty("pull_request", out var pull) || pull.ValueKind != JsonValueKind.Object
            || !pull.TryGetProperty("base", out var baseBranch) || !pull.TryGetProperty("head", out var head)
            || Text(head, "sha") is not { } headSha || Text(baseBranch, "ref") is not { } baseRef)
        {
            throw new BadHttpRequestException("A pull_request payload needs pull_request.base.ref and pull_request.head.sha.", StatusCodes.Status422UnprocessableEntity);
        }

        var baseSha = Text(baseBranch, "sha");
        if (!GitRefName.IsFullSha(headSha) || baseSha is not null && !GitRefName.IsFullSha(baseSha) || !GitRefName.IsValid(baseRef) || action is { Length: > MaxEventNameLength })
        {
            throw new BadHttpRequestException(
                $"The pull request's head and base SHAs must be full commit SHAs, its base ref a branch name of at most {GitRefName.MaxLength} characters.",
                StatusCodes.Status422UnprocessableEntity);
        }

        var repository = await ReadyRepositoryAsync(project, repositories, flags, headSha, cancellationToken).ConfigureAwait(false);
        var changed = baseSha is not null && await repository.ResolveCommitAsync(baseSha, cancellationToken).ConfigureAwait(false) is not null
            ? await repository.ChangedPathsAsync(baseSha, headSha, cancellationToken).ConfigureAwait(false)
            : null;
        // The pull request's author, as GitHub vouches for it: its runs are theirs (and get secrets only when allowed).
        var author = Login(pull, "user") ?? "github:unknown";
        return await launcher.LaunchAsync(
            project,
            new TriggerEvent { Name = "pull_request", BaseRef = baseRef, Action = action, ChangedPaths = changed },
            $"refs/pull/{PullRequestNumber(payload)}/head",
            headSha,
            author,
            delivery,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The <c>github:</c> login of <paramref name="property"/> (a GitHub login has at most 39 characters).</summary>
    private static string? Login(JsonElement payload, string property) =>
        payload.TryGetProperty(property, out var who) && who.ValueKind == JsonValueKind.Object && Text(who, "login") is { Length: > 0 and <= 39 } login
            ? "github:" + login
            : null;

    private static long PullRequestNumber(JsonElement payload) => payload.TryGetProperty("number", out var n) && n.TryGetInt64(out var value) ? value : 0;

    /// <summary>
    /// Fetches a mirrored repository and applies the flags of the protected branch's head, which the fetch may have moved;
    /// fails (422) when the commit is still not there.
    /// </summary>
    private static async Task<GitRepository> ReadyRepositoryAsync(
        ProjectRecord project, ProjectRepositories repositories, FlagFileSync flags, string sha, CancellationToken cancellationToken)
    {
        if (await repositories.RefreshAsync(project, cancellationToken).ConfigureAwait(false) is { } error)
        {
            throw new BadHttpRequestException(error, StatusCodes.Status502BadGateway);
        }

        await flags.ApplyHeadAsync(project, cancellationToken).ConfigureAwait(false);

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
