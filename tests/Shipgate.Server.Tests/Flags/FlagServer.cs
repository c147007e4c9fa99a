using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Flags;

/// <summary>
/// A real server with the project <c>web</c> whose <c>shipgate.yml</c> declares <c>staging</c> (no approval rules) and
/// <c>production</c> (approved by alice), and the raw HTTP calls the flag tests make, each bounded.
/// </summary>
internal sealed class FlagServer : IAsyncDisposable
{
    public const string Config = """
        environments:
          staging:
            mode: deployment
          production:
            approval:
              reviewers: [alice]
        """;

    /// <summary>A boolean flag: alice gets it on, everyone else the default off.</summary>
    public const string Checkout = """
        {"key":"new-checkout","type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off",
         "rules":[{"name":"staff","targets":["alice"],"variant":"on"}]}
        """;

    private FlagServer(RunningServer server, TestRepository repository, string webhookSecret)
    {
        Server = server;
        Repository = repository;
        WebhookSecret = webhookSecret;
    }

    public RunningServer Server { get; }

    public TestRepository Repository { get; }

    /// <summary>The secret that signs the project's webhooks.</summary>
    public string WebhookSecret { get; }

    /// <summary>Starts the server (with <paramref name="services"/> registered first) and adds <c>web</c>.</summary>
    public static async Task<FlagServer> StartAsync(Action<IServiceCollection>? services = null)
    {
        var repository = new TestRepository();
        repository.Write("shipgate.yml", Config);
        repository.Commit("environments");
        var server = await RunningServer.StartAsync(services: services);
        var created = await server.AddProjectAsync("web", repository.Root);
        return new FlagServer(server, repository, created.WebhookSecret);
    }

    public static string Flags(string environment, string? rest = null) => $"/api/v1/projects/web/environments/{environment}/flags{rest}";

    /// <summary>Sends <paramref name="json"/> (if any) as <paramref name="token"/> (default: the admin); the status and body.</summary>
    public async Task<(int Status, string Body)> SendAsync(HttpMethod method, string path, string? json = null, string? token = null)
    {
        using var client = Server.ClientWith(token ?? Server.AdminToken);
        using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await client.SendAsync(request, Ct).DefaultTimeout();
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(Ct).DefaultTimeout());
    }

    /// <summary>A new client key of <paramref name="environment"/> and its id.</summary>
    public Task<(string Key, long Id)> CreateKeyAsync(string environment) => CreateKeyAsync(Server, "web", environment);

    /// <summary>A new client key of <paramref name="project"/>'s <paramref name="environment"/> on any server, and its id.</summary>
    public static async Task<(string Key, long Id)> CreateKeyAsync(RunningServer server, string project, string environment)
    {
        using var admin = server.AdminClient();
        using var content = new StringContent("""{"name":"checkout-service"}""", Encoding.UTF8, "application/json");
        using var response = await admin.PostAsync($"/api/v1/projects/{project}/environments/{environment}/flag-keys", content, Ct).DefaultTimeout();
        var body = await response.Content.ReadAsStringAsync(Ct).DefaultTimeout();
        Assert.True((int)response.StatusCode == 201, body);
        using var json = System.Text.Json.JsonDocument.Parse(body);
        return (json.RootElement.GetProperty("key").GetString()!, json.RootElement.GetProperty("id").GetInt64());
    }

    /// <summary>
    /// A flag-reading request (OFREP or the document) with <paramref name="bearer"/> (none when null), the headers naming
    /// a project and environment, and If-None-Match; the status, body and ETag.
    /// </summary>
    public async Task<(int Status, string Body, string? ETag)> ReadAsync(
        HttpMethod method, string path, string? bearer, string? body = null, string? project = null, string? environment = null, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json") };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (project is not null)
        {
            request.Headers.Add("X-Shipgate-Project", project);
        }

        if (environment is not null)
        {
            request.Headers.Add("X-Shipgate-Environment", environment);
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        using var response = await Server.Client.SendAsync(request, Ct).DefaultTimeout();
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(Ct).DefaultTimeout(), response.Headers.ETag?.ToString());
    }

    /// <summary>The audit entries whose action starts with <paramref name="prefix"/>, as the admin reads them.</summary>
    public async Task<IReadOnlyList<AuditEntryResponse>> AuditAsync(string prefix)
    {
        using var admin = Server.AdminClient();
        var entries = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync(
            admin, "/api/v1/audit?limit=1000", ApiJsonContext.Default.AuditEntryResponseArray, Ct).DefaultTimeout();
        return [.. entries!.Where(e => e.Action.StartsWith(prefix, StringComparison.Ordinal))];
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Repository.Dispose();
    }
}
