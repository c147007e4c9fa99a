using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;
using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Api;

/// <summary>
/// Bad input on every mutating endpoint: SQL-like strings, unicode and NUL in every text field (stored and
/// returned verbatim, or refused with a sentence; never a 500, never a changed schema), oversized and
/// malformed bodies (413 and 400 with a sentence, the store unchanged), unknown projects (404).
/// </summary>
public sealed class BadInputTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    public static readonly TheoryData<string, string> Strings = Cross(
        ["sqlite", "postgres"],
        [
            "'; DROP TABLE runs; --",
            "\" OR 1=1 --",
            "Robert'); DELETE FROM users WHERE ('1'='1",
            "ünïcödé 🚀 \u202Eevil \u4E2D\u6587",
            "nul\0byte",
            "%00; \\x00 $(rm -rf /) `id` ${{ secrets.X }}",
        ]);

    /// <summary>The mutating endpoints with each text field set to the string; refused or stored verbatim, never a 500.</summary>
    [Theory]
    [MemberData(nameof(Strings))]
    public async Task EveryTextField_SqlLikeUnicodeOrNul_StoredVerbatimOrRefusedWithASentence(string store, string text)
    {
        using var repository = TestRepository.WithProductionGate();
        await using var server = await StartAsync(store);
        await server.AddProjectAsync("web", repository.Root);
        var alice = await server.CreateUserAsync("alice", "approver");
        await server.DispatchAsync("web", "delivery.yml");
        var approval = await EventuallyAsync(async () => (await GetAsync(server, "/api/v1/approvals?status=pending", ApiJsonContext.Default.ApprovalResponseArray)).FirstOrDefault(), "a pending approval");
        var schema = await SchemaAsync(server, store);
        var escaped = Uri.EscapeDataString(text);
        var repositoryPath = repository.Root;
        var failures = new List<string>();

        async Task CheckAsync(string what, HttpMethod method, string path, string? json, Func<Task<bool>>? storedVerbatim = null, string? token = null)
        {
            using var client = server.ClientWith(token ?? server.AdminToken);
            using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-GitHub-Event", "ping");
            using var response = await client.SendAsync(request, Ct).DefaultTimeout();
            var status = (int)response.StatusCode;
            if (status == 400 && new Uri(client.BaseAddress!, path).AbsolutePath.Contains("%00", StringComparison.Ordinal))
            {
                // Kestrel refuses a NUL in a URL's path before any middleware runs, with an empty 400.
                return;
            }

            if (status >= 500)
            {
                failures.Add($"{what}: {status} {await response.Content.ReadAsStringAsync(Ct).DefaultTimeout()}");
            }
            else if (status >= 400)
            {
                var problem = await ReadProblemAsync(response);
                if (problem?.Detail is not { Length: > 0 } detail || !detail.TrimEnd().EndsWith('.'))
                {
                    failures.Add($"{what}: {status} without a sentence: {problem?.Detail}");
                }
            }
            else if (storedVerbatim is not null && !await storedVerbatim())
            {
                failures.Add($"{what}: {status}, but the stored value does not read back verbatim");
            }
        }

        await CheckAsync("user name", HttpMethod.Post, "/api/v1/users", Json(new UserCreateRequest(text, null, "viewer", null)));
        await CheckAsync("user email", HttpMethod.Post, "/api/v1/users", Json(new UserCreateRequest("emily", [text], "viewer", null)),
            async () => (await GetAsync(server, "/api/v1/users", ApiJsonContext.Default.UserResponseArray)).Single(u => u.Name == "emily").Emails.SequenceEqual([text]));
        await CheckAsync("user role", HttpMethod.Post, "/api/v1/users", Json(new UserCreateRequest("roland", null, text, null)));
        await CheckAsync("user environment", HttpMethod.Post, "/api/v1/users", Json(new UserCreateRequest("eve", null, "approver", [text])));
        await CheckAsync("token name", HttpMethod.Post, "/api/v1/tokens", Json(new TokenCreateRequest(null, text)),
            async () => (await GetAsync(server, "/api/v1/tokens", ApiJsonContext.Default.TokenResponseArray)).Any(t => t.Name == text));
        await CheckAsync("token user", HttpMethod.Post, "/api/v1/tokens", Json(new TokenCreateRequest(text, "ci")));
        await CheckAsync("token id", HttpMethod.Delete, $"/api/v1/tokens/{escaped}", null);
        await CheckAsync("project name", HttpMethod.Post, "/api/v1/projects", Json(new ProjectCreateRequest(text, repositoryPath, null)));
        await CheckAsync("project repository", HttpMethod.Post, "/api/v1/projects", Json(new ProjectCreateRequest("repo", text, null)));
        await CheckAsync("project branch", HttpMethod.Post, "/api/v1/projects", Json(new ProjectCreateRequest("branchy", repositoryPath, text)),
            async () => (await GetAsync(server, "/api/v1/projects/branchy", ApiJsonContext.Default.ProjectResponse)).Branch == text);
        await CheckAsync("project in path", HttpMethod.Delete, $"/api/v1/projects/{escaped}", null);
        await CheckAsync("dispatch project", HttpMethod.Post, $"/api/v1/projects/{escaped}/dispatches", Json(new DispatchRequest("ci.yml", null, null)));
        await CheckAsync("dispatch workflow", HttpMethod.Post, "/api/v1/projects/web/dispatches", Json(new DispatchRequest(text, null, null)));
        await CheckAsync("dispatch ref", HttpMethod.Post, "/api/v1/projects/web/dispatches", Json(new DispatchRequest("ci.yml", text, null)));
        await CheckAsync("dispatch input value", HttpMethod.Post, "/api/v1/projects/web/dispatches", Json(new DispatchRequest("ci.yml", null, new Dictionary<string, string> { ["greeting"] = text })));
        await CheckAsync("dispatch input name", HttpMethod.Post, "/api/v1/projects/web/dispatches", Json(new DispatchRequest("ci.yml", null, new Dictionary<string, string> { [text] = "x" })));
        await CheckAsync("secret name", HttpMethod.Put, $"/api/v1/projects/web/secrets/{escaped}", Json(new SecretValueRequest("x")));
        await CheckAsync("secret value", HttpMethod.Put, "/api/v1/projects/web/secrets/API_TOKEN", Json(new SecretValueRequest(text)));
        await CheckAsync("secret environment", HttpMethod.Put, $"/api/v1/projects/web/secrets/API_TOKEN?environment={escaped}", Json(new SecretValueRequest("x")));
        await CheckAsync("secret project", HttpMethod.Put, $"/api/v1/projects/{escaped}/secrets/API_TOKEN", Json(new SecretValueRequest("x")));
        await CheckAsync("variable name", HttpMethod.Put, $"/api/v1/projects/web/variables/{escaped}", Json(new SecretValueRequest("x")));
        await CheckAsync("variable value", HttpMethod.Put, "/api/v1/projects/web/variables/REGION", Json(new SecretValueRequest(text)));
        await CheckAsync("variable delete", HttpMethod.Delete, $"/api/v1/projects/web/variables/{escaped}", null);
        await CheckAsync("secret delete", HttpMethod.Delete, $"/api/v1/projects/web/secrets/{escaped}?environment={escaped}", null);
        await CheckAsync("runs of project", HttpMethod.Get, $"/api/v1/runs?project={escaped}", null);
        await CheckAsync("approvals status", HttpMethod.Get, $"/api/v1/approvals?status={escaped}", null);
        await CheckAsync("audit since", HttpMethod.Get, $"/api/v1/audit?since={escaped}", null);
        await CheckAsync("webhook project", HttpMethod.Post, $"/api/v1/hooks/github?project={escaped}", "{\"zen\":\"x\"}");
        var hook = "http://127.0.0.1:9/hook?q=" + escaped;
        // The API shows a webhook's URL without its query (it may hold a token), so there is nothing to read back.
        await CheckAsync("notification webhook url", HttpMethod.Post, "/api/v1/webhooks", Json(new NotificationWebhookRequest(hook)));
        await CheckAsync("notification webhook raw url", HttpMethod.Post, "/api/v1/webhooks", Json(new NotificationWebhookRequest(text)));
        await CheckAsync("notification webhook format", HttpMethod.Post, "/api/v1/webhooks", Json(new NotificationWebhookRequest("http://127.0.0.1:9/f", Format: text)));
        await CheckAsync("notification webhook project", HttpMethod.Post, "/api/v1/webhooks", Json(new NotificationWebhookRequest("http://127.0.0.1:9/p", Project: text)));
        await CheckAsync("notification webhook events", HttpMethod.Post, "/api/v1/webhooks", Json(new NotificationWebhookRequest("http://127.0.0.1:9/e", Events: [text])));
        await CheckAsync("notification webhook secret", HttpMethod.Post, "/api/v1/webhooks", Json(new NotificationWebhookRequest("http://127.0.0.1:9/s", Secret: text)));
        await CheckAsync("notification webhook id", HttpMethod.Delete, $"/api/v1/webhooks/{escaped}", null);
        await CheckAsync("freeze override environment", HttpMethod.Post, $"/api/v1/runs/{approval.Run.ToString(CultureInfo.InvariantCulture)}/freeze-override", Json(new FreezeOverrideRequest(text, "x")));
        await CheckAsync("freeze override reason", HttpMethod.Post, $"/api/v1/runs/{approval.Run.ToString(CultureInfo.InvariantCulture)}/freeze-override", Json(new FreezeOverrideRequest("production", text)));
        await CheckAsync("approval comment", HttpMethod.Post, $"/api/v1/approvals/{approval.Id.ToString(CultureInfo.InvariantCulture)}/reject", Json(new ApprovalDecisionRequest(text)),
            async () => (await GetAsync(server, $"/api/v1/approvals/{approval.Id.ToString(CultureInfo.InvariantCulture)}", ApiJsonContext.Default.ApprovalResponse)).Decisions.Any(d => d.Comment == text),
            alice);

        if (!text.Contains('\0', StringComparison.Ordinal))
        {
            // A commit by an author of that name (git cannot hold a NUL): the push run's actor is the name as git keeps it.
            repository.Write("src/app.txt", text);
            repository.Git("add", "-A");
            repository.Git("-c", "user.name=" + text, "commit", "--quiet", "-m", text);
            var sha = repository.Git("rev-parse", "HEAD").Trim();
            var author = repository.Git("log", "-1", "--format=%an").TrimEnd('\n');
            var pushed = await EventuallyAsync(async () => (await server.ListRunsAsync("web")).FirstOrDefault(r => r.Sha == sha), "the commit's push run");
            if (pushed.Actor != author)
            {
                failures.Add($"commit author: the run's actor is '{pushed.Actor}', not '{author}'");
            }
        }

        var verification = await GetAsync(server, "/api/v1/audit/verify", ApiJsonContext.Default.AuditVerificationResponse);
        var runs = await server.ListRunsAsync();

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(schema, await SchemaAsync(server, store));
        Assert.True(verification.Valid, verification.Problem);
        Assert.NotEmpty(runs);
    }

    /// <summary>Each endpoint that takes a JSON body, with a body over the limit: 413, a sentence, and nothing stored.</summary>
    [Fact]
    public async Task EveryJsonEndpoint_BodyOverTheLimit_413WithASentenceAndTheStoreUnchanged()
    {
        using var repository = TestRepository.WithProductionGate();
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var before = await SnapshotAsync(server);
        var huge = new string('x', (int)server.Server.Options.MaxRequestBodyBytes + 1);
        var failures = new List<string>();

        foreach (var (method, path, json) in JsonEndpoints(huge, repository.Root))
        {
            using var client = server.AdminClient();
            using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            // The server answers 413 from the Content-Length without reading the body and may close the
            // connection while a client is still sending it (a broken pipe on a loaded machine): a client
            // sending a large body asks first, as curl does.
            request.Headers.ExpectContinue = true;
            using var response = await client.SendAsync(request, Ct).DefaultTimeout();
            var problem = await ReadProblemAsync(response);
            if (response.StatusCode != HttpStatusCode.RequestEntityTooLarge || problem?.Detail is not { Length: > 0 })
            {
                failures.Add($"{method} {path}: {(int)response.StatusCode} {problem?.Detail}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(before, await SnapshotAsync(server));
    }

    /// <summary>Each endpoint that takes a JSON body, with JSON that does not parse or has the wrong shape: 400 with a sentence, nothing stored.</summary>
    [Fact]
    public async Task EveryJsonEndpoint_MalformedJson_400WithASentenceAndTheStoreUnchanged()
    {
        using var repository = TestRepository.WithProductionGate();
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var before = await SnapshotAsync(server);
        var failures = new List<string>();

        foreach (var body in new[] { "{\"name\":", "[1,2", "not json", "{\"name\": 5, \"role\": [], \"value\": {}, \"workflow\": 1}", "" })
        {
            foreach (var (method, path, _) in JsonEndpoints("x", repository.Root))
            {
                using var client = server.AdminClient();
                using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                using var response = await client.SendAsync(request, Ct).DefaultTimeout();
                var problem = await ReadProblemAsync(response);
                // JSON of another shape may also read as a request without its fields: refused as invalid (422), or,
                // where the body is optional (a decision, a freeze override), about an approval or run that does not exist (404).
                var wellFormed = body.StartsWith('{') && body.EndsWith('}');
                var allowed = response.StatusCode == HttpStatusCode.BadRequest
                    || (wellFormed && response.StatusCode == HttpStatusCode.UnprocessableEntity)
                    || ((wellFormed || body.Length == 0) && (path.Contains("/approve", StringComparison.Ordinal) || path.Contains("/freeze-override", StringComparison.Ordinal)) && response.StatusCode == HttpStatusCode.NotFound);
                if (!allowed || problem?.Detail is not { Length: > 0 })
                {
                    failures.Add($"{method} {path} with '{body}': {(int)response.StatusCode} {problem?.Detail}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(before, await SnapshotAsync(server));
    }

    /// <summary>Every endpoint under /projects/NAME with a project that does not exist: 404 naming it.</summary>
    [Fact]
    public async Task ProjectEndpoints_UnknownProject_404NamingIt()
    {
        await using var server = await RunningServer.StartAsync();
        var before = await SnapshotAsync(server);
        var failures = new List<string>();

        foreach (var (method, path, json) in new (HttpMethod, string, string?)[]
        {
            (HttpMethod.Get, "/api/v1/projects/ghost", null),
            (HttpMethod.Delete, "/api/v1/projects/ghost", null),
            (HttpMethod.Post, "/api/v1/projects/ghost/dispatches", Json(new DispatchRequest("ci.yml", null, null))),
            (HttpMethod.Get, "/api/v1/projects/ghost/secrets", null),
            (HttpMethod.Put, "/api/v1/projects/ghost/secrets/API_TOKEN", Json(new SecretValueRequest("x"))),
            (HttpMethod.Delete, "/api/v1/projects/ghost/secrets/API_TOKEN", null),
            (HttpMethod.Get, "/api/v1/projects/ghost/variables", null),
            (HttpMethod.Put, "/api/v1/projects/ghost/variables/REGION", Json(new SecretValueRequest("x"))),
            (HttpMethod.Delete, "/api/v1/projects/ghost/variables/REGION", null),
            (HttpMethod.Get, "/api/v1/runs?project=ghost", null),
            (HttpMethod.Post, "/api/v1/hooks/github?project=ghost", "{\"zen\":\"x\"}"),
        })
        {
            using var client = server.AdminClient();
            using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-GitHub-Event", "ping");
            using var response = await client.SendAsync(request, Ct).DefaultTimeout();
            var problem = await ReadProblemAsync(response);
            if (response.StatusCode != HttpStatusCode.NotFound || problem?.Detail is not { } detail || !(detail.Contains("ghost", StringComparison.Ordinal) || detail.Contains("No project", StringComparison.Ordinal)))
            {
                failures.Add($"{method} {path}: {(int)response.StatusCode} {problem?.Detail}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(before, await SnapshotAsync(server));
    }

    /// <summary>The mutating endpoints that read a JSON body, with <paramref name="text"/> in their main text field.</summary>
    private static IEnumerable<(HttpMethod Method, string Path, string Json)> JsonEndpoints(string text, string repository) =>
    [
        (HttpMethod.Post, "/api/v1/users", Json(new UserCreateRequest("u" + text, null, "viewer", null))),
        (HttpMethod.Post, "/api/v1/tokens", Json(new TokenCreateRequest(null, text))),
        (HttpMethod.Post, "/api/v1/projects", Json(new ProjectCreateRequest("p", repository, text))),
        (HttpMethod.Post, "/api/v1/projects/web/dispatches", Json(new DispatchRequest("ci.yml", null, new Dictionary<string, string> { ["greeting"] = text }))),
        (HttpMethod.Put, "/api/v1/projects/web/secrets/API_TOKEN", Json(new SecretValueRequest(text))),
        (HttpMethod.Put, "/api/v1/projects/web/variables/REGION", Json(new SecretValueRequest(text))),
        (HttpMethod.Post, "/api/v1/approvals/1/approve", Json(new ApprovalDecisionRequest(text))),
        (HttpMethod.Post, "/api/v1/webhooks", Json(new NotificationWebhookRequest("http://127.0.0.1:9/" + text))),
        (HttpMethod.Post, "/api/v1/runs/1/freeze-override", Json(new FreezeOverrideRequest("production", text))),
    ];

    private async Task<RunningServer> StartAsync(string store)
    {
        var connection = store == "postgres" ? await postgres.CreateSchemaAsync(Ct).DefaultTimeout() : null;
        return await RunningServer.StartAsync(options => options.Database = connection);
    }

    /// <summary>The store's tables and columns, to show that no input changed them.</summary>
    private static async Task<string> SchemaAsync(RunningServer server, string store)
    {
        var rows = new List<string>();
        if (store == "postgres")
        {
            await using var connection = new NpgsqlConnection(server.Server.Options.Database);
            await connection.OpenAsync(Ct).DefaultTimeout();
            await using var command = new NpgsqlCommand("SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY 1, 2", connection);
            await using var reader = await command.ExecuteReaderAsync(Ct).DefaultTimeout();
            while (await reader.ReadAsync(Ct).DefaultTimeout())
            {
                rows.Add($"{reader.GetString(0)}.{reader.GetString(1)} {reader.GetString(2)}");
            }
        }
        else
        {
            await using var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "shipgate.db")};Mode=ReadOnly;Pooling=false");
            await connection.OpenAsync(Ct).DefaultTimeout();
            await using var command = new SqliteCommand("SELECT type, name, sql FROM sqlite_master ORDER BY 1, 2", connection);
            await using var reader = await command.ExecuteReaderAsync(Ct).DefaultTimeout();
            while (await reader.ReadAsync(Ct).DefaultTimeout())
            {
                rows.Add($"{reader.GetString(0)} {reader.GetString(1)} {(reader.IsDBNull(2) ? "" : reader.GetString(2))}");
            }
        }

        Assert.Contains(rows, r => r.Contains("runs", StringComparison.Ordinal));
        return string.Join('\n', rows);
    }

    /// <summary>What the API shows of the store: users, tokens, projects, secrets and variables, runs, approvals, the audit log's length.</summary>
    private static async Task<string> SnapshotAsync(RunningServer server)
    {
        var parts = new List<string>
        {
            JsonSerializer.Serialize(await GetAsync(server, "/api/v1/users", ApiJsonContext.Default.UserResponseArray), ApiJsonContext.Default.UserResponseArray),
            JsonSerializer.Serialize(await GetAsync(server, "/api/v1/tokens", ApiJsonContext.Default.TokenResponseArray), ApiJsonContext.Default.TokenResponseArray),
            JsonSerializer.Serialize(await GetAsync(server, "/api/v1/projects", ApiJsonContext.Default.ProjectResponseArray), ApiJsonContext.Default.ProjectResponseArray),
            JsonSerializer.Serialize(await server.ListRunsAsync(), ApiJsonContext.Default.RunResponseArray),
            JsonSerializer.Serialize(await GetAsync(server, "/api/v1/approvals", ApiJsonContext.Default.ApprovalResponseArray), ApiJsonContext.Default.ApprovalResponseArray),
            (await GetAsync(server, "/api/v1/audit/verify", ApiJsonContext.Default.AuditVerificationResponse)).Entries.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var project in await GetAsync(server, "/api/v1/projects", ApiJsonContext.Default.ProjectResponseArray))
        {
            parts.Add(JsonSerializer.Serialize(await GetAsync(server, $"/api/v1/projects/{project.Name}/secrets", ApiJsonContext.Default.SecretResponseArray), ApiJsonContext.Default.SecretResponseArray));
            parts.Add(JsonSerializer.Serialize(await GetAsync(server, $"/api/v1/projects/{project.Name}/variables", ApiJsonContext.Default.SecretResponseArray), ApiJsonContext.Default.SecretResponseArray));
        }

        return string.Join('\n', parts);
    }

    private static async Task<T> GetAsync<T>(RunningServer server, string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        using var admin = server.AdminClient();
        return (await admin.GetFromJsonAsync(path, type, Ct).DefaultTimeout())!;
    }

    private static async Task<ApiProblem?> ReadProblemAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Ct).DefaultTimeout();
        try
        {
            return body.Length == 0 ? null : JsonSerializer.Deserialize(body, ApiJsonContext.Default.ApiProblem);
        }
        catch (JsonException)
        {
            return new ApiProblem(null, null, null, "(not problem+json) " + body);
        }
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)ApiJsonContext.Default.GetTypeInfo(typeof(T))!);

    private static TheoryData<string, string> Cross(string[] stores, string[] texts)
    {
        var data = new TheoryData<string, string>();
        foreach (var store in stores)
        {
            foreach (var text in texts)
            {
                data.Add(store, text);
            }
        }

        return data;
    }
}
