using System.Net.Http.Json;
using Shipgate.Server.Api;

namespace Shipgate.Server.Tests.Infrastructure;

/// <summary>The API calls tests make often, each bounded.</summary>
internal static class ApiCalls
{
    public static async Task<ProjectCreatedResponse> AddProjectAsync(this RunningServer server, string name, string repository, string? branch = null)
    {
        using var admin = server.AdminClient();
        using var response = await admin.PostAsJsonAsync("/api/v1/projects", new ProjectCreateRequest(name, repository, branch), ApiJsonContext.Default.ProjectCreateRequest, Ct).DefaultTimeout();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Adding project {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct).DefaultTimeout()}");
        }

        return (await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ProjectCreatedResponse, Ct).DefaultTimeout())!;
    }

    public static async Task<RunResponse[]> ListRunsAsync(this RunningServer server, string? project = null)
    {
        using var admin = server.AdminClient();
        return (await admin.GetFromJsonAsync(project is null ? "/api/v1/runs" : $"/api/v1/runs?project={project}", ApiJsonContext.Default.RunResponseArray, Ct).DefaultTimeout())!;
    }

    public static async Task<RunDetailResponse> GetRunAsync(this RunningServer server, long id)
    {
        using var admin = server.AdminClient();
        return (await admin.GetFromJsonAsync($"/api/v1/runs/{id}", ApiJsonContext.Default.RunDetailResponse, Ct).DefaultTimeout())!;
    }

    /// <summary><c>GET /api/v1/deployments?project=&amp;environment=</c> as the admin.</summary>
    public static async Task<DeploymentResponse[]> ListDeploymentsAsync(this RunningServer server, string project, string environment)
    {
        using var admin = server.AdminClient();
        return (await admin.GetFromJsonAsync($"/api/v1/deployments?project={project}&environment={environment}", ApiJsonContext.Default.DeploymentResponseArray, Ct).DefaultTimeout())!;
    }

    /// <summary><c>GET /api/v1/status</c> as the admin.</summary>
    public static async Task<EnvironmentStatusResponse[]> GetStatusAsync(this RunningServer server)
    {
        using var admin = server.AdminClient();
        return (await admin.GetFromJsonAsync("/api/v1/status", ApiJsonContext.Default.EnvironmentStatusResponseArray, Ct).DefaultTimeout())!;
    }

    public static Task<RunResponse> WaitForCompletedRunAsync(this RunningServer server, long id) =>
        EventuallyAsync(async () => (await server.GetRunAsync(id)).Run is { Status: "completed" } run ? run : null, $"run {id} to complete", TimeSpan.FromSeconds(60));

    public static async Task<RunResponse> DispatchAsync(
        this RunningServer server, string project, string workflow, IReadOnlyDictionary<string, string>? inputs = null, string? token = null, string? gitRef = null)
    {
        using var client = server.ClientWith(token ?? server.AdminToken);
        using var response = await client.PostAsJsonAsync($"/api/v1/projects/{project}/dispatches", new DispatchRequest(workflow, gitRef, inputs), ApiJsonContext.Default.DispatchRequest, Ct).DefaultTimeout();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Dispatching {workflow}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct).DefaultTimeout()}");
        }

        return (await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.DispatchResponse, Ct).DefaultTimeout())!.Run;
    }
}
