using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Shipgate.Server.Api;

namespace Shipgate.Server.Client;

/// <summary>
/// A typed client of the Shipgate REST API (what the CLI uses). Refusals throw
/// <see cref="ShipgateApiException"/> with the server's sentence; an absent server throws
/// <see cref="ShipgateServerUnavailableException"/>.
/// </summary>
public sealed class ShipgateApiClient : IDisposable
{
    /// <summary>The address used when <c>SHIPGATE_URL</c> is not set.</summary>
    public static readonly Uri DefaultUrl = new("http://127.0.0.1:5080/");

    private readonly HttpClient _http;

    public ShipgateApiClient(Uri url, string? token, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        Url = url;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = url;
        _http.Timeout = Timeout.InfiniteTimeSpan;
        if (!string.IsNullOrWhiteSpace(token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
        }
    }

    public Uri Url { get; }

    public Task<UserCreatedResponse> CreateUserAsync(UserCreateRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/v1/users", JsonContent.Create(request, ApiJsonContext.Default.UserCreateRequest), ApiJsonContext.Default.UserCreatedResponse, cancellationToken);

    public Task<UserResponse> ChangeUserIdentityAsync(string user, string kind, string value, bool add, CancellationToken cancellationToken = default) => add
        ? SendAsync(HttpMethod.Post, $"api/v1/users/{Uri.EscapeDataString(user)}/{kind}", JsonContent.Create(new UserIdentityRequest(value), ApiJsonContext.Default.UserIdentityRequest), ApiJsonContext.Default.UserResponse, cancellationToken)
        : SendAsync(HttpMethod.Delete, $"api/v1/users/{Uri.EscapeDataString(user)}/{kind}/{Uri.EscapeDataString(value)}", null, ApiJsonContext.Default.UserResponse, cancellationToken);

    public Task<DeploymentResponse[]> ListDeploymentsAsync(string project, string? environment, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"api/v1/deployments?project={Uri.EscapeDataString(project)}" + (environment is null ? "" : "&environment=" + Uri.EscapeDataString(environment)), null, ApiJsonContext.Default.DeploymentResponseArray, cancellationToken);

    public Task<ProjectResponse> SetProjectAsync(string project, ProjectSettingsRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, $"api/v1/projects/{Uri.EscapeDataString(project)}", JsonContent.Create(request, ApiJsonContext.Default.ProjectSettingsRequest), ApiJsonContext.Default.ProjectResponse, cancellationToken);

    public Task<UserResponse[]> ListUsersAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/v1/users", null, ApiJsonContext.Default.UserResponseArray, cancellationToken);

    public Task<TokenResponse> CreateTokenAsync(TokenCreateRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/v1/tokens", JsonContent.Create(request, ApiJsonContext.Default.TokenCreateRequest), ApiJsonContext.Default.TokenResponse, cancellationToken);

    public Task RevokeTokenAsync(long tokenId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"api/v1/tokens/{tokenId}", null, cancellationToken);

    public Task<ProjectCreatedResponse> CreateProjectAsync(ProjectCreateRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/v1/projects", JsonContent.Create(request, ApiJsonContext.Default.ProjectCreateRequest), ApiJsonContext.Default.ProjectCreatedResponse, cancellationToken);

    public Task<ProjectResponse[]> ListProjectsAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/v1/projects", null, ApiJsonContext.Default.ProjectResponseArray, cancellationToken);

    public Task RemoveProjectAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"api/v1/projects/{Uri.EscapeDataString(name)}", null, cancellationToken);

    public Task<DispatchResponse> DispatchAsync(string project, DispatchRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"api/v1/projects/{Uri.EscapeDataString(project)}/dispatches", JsonContent.Create(request, ApiJsonContext.Default.DispatchRequest), ApiJsonContext.Default.DispatchResponse, cancellationToken);

    public Task<RunResponse[]> ListRunsAsync(string? project, int limit, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"api/v1/runs?limit={limit}" + (project is null ? "" : "&project=" + Uri.EscapeDataString(project)), null, ApiJsonContext.Default.RunResponseArray, cancellationToken);

    public Task<RunDetailResponse> GetRunAsync(long id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"api/v1/runs/{id}", null, ApiJsonContext.Default.RunDetailResponse, cancellationToken);

    /// <summary>Verifies the audit log on the server, also against <paramref name="checkpoints"/> (lines of a checkpoint file kept elsewhere) when given.</summary>
    public Task<AuditVerificationResponse> VerifyAuditAsync(IReadOnlyList<string>? checkpoints = null, CancellationToken cancellationToken = default) =>
        checkpoints is null
            ? SendAsync(HttpMethod.Get, "api/v1/audit/verify", null, ApiJsonContext.Default.AuditVerificationResponse, cancellationToken)
            : SendAsync(HttpMethod.Post, "api/v1/audit/verify", JsonContent.Create(new AuditVerifyRequest([.. checkpoints]), ApiJsonContext.Default.AuditVerifyRequest), ApiJsonContext.Default.AuditVerificationResponse, cancellationToken);

    /// <summary>The audit log's newest checkpoint, or null before the first entry.</summary>
    public async Task<AuditCheckpointResponse?> GetAuditCheckpointAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendAsync(HttpMethod.Get, "api/v1/audit/checkpoint", null, ApiJsonContext.Default.AuditCheckpointResponse, cancellationToken).ConfigureAwait(false);
        }
        catch (ShipgateApiException exception) when (exception.Status == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<AuditEntryResponse[]> ListAuditAsync(long after, DateTimeOffset? since, int limit, CancellationToken cancellationToken = default) =>
        SendAsync(
            HttpMethod.Get,
            FormattableString.Invariant($"api/v1/audit?after={after}&limit={limit}") + (since is { } at ? "&since=" + Uri.EscapeDataString(at.ToString("O", System.Globalization.CultureInfo.InvariantCulture)) : ""),
            null,
            ApiJsonContext.Default.AuditEntryResponseArray,
            cancellationToken);

    /// <summary>Sets a secret (<paramref name="kind"/> "secrets") or a variable ("variables") of a project, optionally for one environment.</summary>
    public Task SetValueAsync(string project, string kind, string name, string? environment, string value, CancellationToken cancellationToken = default) =>
        SendAsync(
            HttpMethod.Put,
            $"api/v1/projects/{Uri.EscapeDataString(project)}/{kind}/{Uri.EscapeDataString(name)}" + (environment is null ? "" : "?environment=" + Uri.EscapeDataString(environment)),
            JsonContent.Create(new SecretValueRequest(value), ApiJsonContext.Default.SecretValueRequest),
            cancellationToken);

    public Task<ApprovalResponse[]> ListApprovalsAsync(string? status, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/v1/approvals" + (status is null ? "" : "?status=" + Uri.EscapeDataString(status)), null, ApiJsonContext.Default.ApprovalResponseArray, cancellationToken);

    /// <summary>Approves (<paramref name="approve"/> true) or rejects an approval as the token's user.</summary>
    public Task<ApprovalDecidedResponse> DecideAsync(long approvalId, bool approve, string? comment, CancellationToken cancellationToken = default) =>
        SendAsync(
            HttpMethod.Post,
            $"api/v1/approvals/{approvalId}/{(approve ? "approve" : "reject")}",
            JsonContent.Create(new ApprovalDecisionRequest(comment), ApiJsonContext.Default.ApprovalDecisionRequest),
            ApiJsonContext.Default.ApprovalDecidedResponse,
            cancellationToken);

    /// <summary>Lets run <paramref name="runId"/>'s deployment to <paramref name="environment"/> through a freeze window (admin).</summary>
    public Task OverrideFreezeAsync(long runId, string environment, string reason, CancellationToken cancellationToken = default) =>
        SendAsync(
            HttpMethod.Post,
            $"api/v1/runs/{runId}/freeze-override",
            JsonContent.Create(new FreezeOverrideRequest(environment, reason), ApiJsonContext.Default.FreezeOverrideRequest),
            cancellationToken);

    /// <summary>Puts an earlier release of a service back (approvers); the answer is the rollback's deployment.</summary>
    public Task<DeploymentResponse> RollbackAsync(RollbackRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/v1/deployments/rollback", JsonContent.Create(request, ApiJsonContext.Default.RollbackRequest), ApiJsonContext.Default.DeploymentResponse, cancellationToken);

    /// <summary>One deployment, with a canary's progress and analysis decisions.</summary>
    public Task<DeploymentResponse> GetDeploymentAsync(long id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"api/v1/deployments/{id}", null, ApiJsonContext.Default.DeploymentResponse, cancellationToken);

    /// <summary>Every project's running (progressing or paused) rollouts.</summary>
    public Task<DeploymentResponse[]> ListRunningDeploymentsAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/v1/deployments/running", null, ApiJsonContext.Default.DeploymentResponseArray, cancellationToken);

    /// <summary>Gives a verb (promote, abort, pause, resume, retry) to a deployment (approvers of its environment); the answer is the deployment it acts on.</summary>
    public Task<DeploymentResponse> DeploymentVerbAsync(long id, string verb, DeploymentVerbRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"api/v1/deployments/{id}/{verb}", JsonContent.Create(request, ApiJsonContext.Default.DeploymentVerbRequest), ApiJsonContext.Default.DeploymentResponse, cancellationToken);

    /// <summary>Opens a service's instance output, as text lines; the caller disposes the answer.</summary>
    public Task<HttpResponseMessage> OpenServiceLogsAsync(string service, string environment, string? project, int tail, bool follow, CancellationToken cancellationToken = default) =>
        SendCoreAsync(
            HttpMethod.Get,
            $"api/v1/deployments/logs?service={Uri.EscapeDataString(service)}&environment={Uri.EscapeDataString(environment)}&tail={tail}&follow={(follow ? "true" : "false")}"
                + (project is null ? "" : "&project=" + Uri.EscapeDataString(project)),
            null,
            HttpCompletionOption.ResponseHeadersRead,
            cancellationToken);

    /// <summary>
    /// The delivery insights; each argument left null is left out of the query (the server's defaults: every project and
    /// environment, the last 30 days).
    /// </summary>
    public Task<InsightsResponse> GetInsightsAsync(
        string? project, string? environment, string? since, string? from, string? to, CancellationToken cancellationToken = default)
    {
        var query = string.Join('&', new[] { ("project", project), ("environment", environment), ("since", since), ("from", from), ("to", to) }
            .Where(p => p.Item2 is not null)
            .Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));
        var path = "api/v1/insights" + (query.Length == 0 ? "" : "?" + query);
        return SendAsync(HttpMethod.Get, path, null, ApiJsonContext.Default.InsightsResponse, cancellationToken);
    }

    /// <summary>A one-time sign-in link to the web UI for this client's token's user.</summary>
    public Task<UiLinkResponse> CreateUiLinkAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/v1/ui-links", null, ApiJsonContext.Default.UiLinkResponse, cancellationToken);

    public Task<EnvironmentStatusResponse[]> GetStatusAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/v1/status", null, ApiJsonContext.Default.EnvironmentStatusResponseArray, cancellationToken);

    /// <summary>A project's environments: rules from shipgate.yml at its branch's head, secret and variable names, releases, deployments.</summary>
    public Task<ProjectEnvironmentsResponse> GetEnvironmentsAsync(string project, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"api/v1/projects/{Uri.EscapeDataString(project)}/environments", null, ApiJsonContext.Default.ProjectEnvironmentsResponse, cancellationToken);

    public Task<ArtifactResponse[]> ListArtifactsAsync(long runId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"api/v1/runs/{runId}/artifacts", null, ApiJsonContext.Default.ArtifactResponseArray, cancellationToken);

    /// <summary>Opens the download of an artifact (a tar archive of its files); the caller disposes the answer.</summary>
    public Task<HttpResponseMessage> OpenArtifactAsync(long runId, string name, CancellationToken cancellationToken = default) =>
        SendCoreAsync(HttpMethod.Get, $"api/v1/runs/{runId}/artifacts/{Uri.EscapeDataString(name)}", null, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    public Task<NotificationWebhookResponse> AddWebhookAsync(NotificationWebhookRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/v1/webhooks", JsonContent.Create(request, ApiJsonContext.Default.NotificationWebhookRequest), ApiJsonContext.Default.NotificationWebhookResponse, cancellationToken);

    public Task<NotificationWebhookResponse[]> ListWebhooksAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/v1/webhooks", null, ApiJsonContext.Default.NotificationWebhookResponseArray, cancellationToken);

    public Task RemoveWebhookAsync(long id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"api/v1/webhooks/{id}", null, cancellationToken);

    /// <summary>Sends a request and reads its JSON answer.</summary>
    public async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> answer, CancellationToken cancellationToken = default)
    {
        using var response = await SendCoreAsync(method, path, content, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(answer, cancellationToken).ConfigureAwait(false)
            ?? throw new ShipgateApiException(response.StatusCode, $"The server answered {method} /{path} with an empty body.");
    }

    /// <summary>Sends a request whose answer has no body.</summary>
    public async Task SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken = default)
    {
        using var response = await SendCoreAsync(method, path, content, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a streaming answer (server-sent events); the caller disposes it.</summary>
    public Task<HttpResponseMessage> OpenStreamAsync(string path, string? lastEventId, CancellationToken cancellationToken = default)
    {
        var headers = new List<KeyValuePair<string, string>> { new("Accept", "text/event-stream") };
        if (lastEventId is not null)
        {
            headers.Add(new("Last-Event-ID", lastEventId));
        }

        return SendCoreAsync(HttpMethod.Get, path, null, HttpCompletionOption.ResponseHeadersRead, cancellationToken, headers);
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendCoreAsync(
        HttpMethod method,
        string path,
        HttpContent? content,
        HttpCompletionOption completion,
        CancellationToken cancellationToken,
        IReadOnlyList<KeyValuePair<string, string>>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException || ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            throw new ShipgateServerUnavailableException(Url, ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw new ShipgateApiException(response.StatusCode, await ReadProblemAsync(response, method, path, cancellationToken).ConfigureAwait(false));
        }
    }

    private static async Task<string> ReadProblemAsync(HttpResponseMessage response, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var problem = JsonSerializer.Deserialize(body, ApiJsonContext.Default.ApiProblem);
            if (problem?.Detail is { Length: > 0 } detail)
            {
                return detail;
            }

            if (problem?.Title is { Length: > 0 } title)
            {
                return $"{title} ({(int)response.StatusCode}).";
            }
        }
        catch (JsonException)
        {
            // Not problem+json (a proxy's page?): fall through to the status line.
        }

        return $"The server answered {method} /{path} with {(int)response.StatusCode} {response.ReasonPhrase}.";
    }
}
