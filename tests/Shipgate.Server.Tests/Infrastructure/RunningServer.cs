using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shipgate.Server.Api;

namespace Shipgate.Server.Tests.Infrastructure;

/// <summary>A real Shipgate server on Kestrel at 127.0.0.1:0 with a throwaway data directory, and an HttpClient to it.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private RunningServer(ShipgateServer server, string dataDirectory, StringWriter console)
    {
        Server = server;
        DataDirectory = dataDirectory;
        Console = console;
        Client = new HttpClient { BaseAddress = server.Url, Timeout = TestTimeouts.Default };
    }

    public ShipgateServer Server { get; }

    public string DataDirectory { get; }

    /// <summary>What the server wrote to its stdout.</summary>
    public StringWriter Console { get; }

    /// <summary>A client without credentials.</summary>
    public HttpClient Client { get; }

    public Uri Url => Server.Url;

    public string AdminToken => File.ReadAllText(Path.Combine(DataDirectory, "admin.token")).Trim();

    public static async Task<RunningServer> StartAsync(Action<ServerOptions>? configure = null, Action<IServiceCollection>? services = null, string? dataDirectory = null)
    {
        var data = dataDirectory ?? Path.Combine(Path.GetTempPath(), "shipgate-server-test-" + Guid.NewGuid().ToString("N")[..12]);
        var console = new StringWriter();
        var server = ShipgateServer.Create(
            options =>
            {
                options.DataDirectory = data;
                options.Port = 0;
                options.EdgePort = 0;
                options.UiPort = 0;
                options.RepositoryPollInterval = TimeSpan.FromMilliseconds(100);
                configure?.Invoke(options);
            },
            collection =>
            {
                // Quiet tests; SHIPGATE_TEST_LOGS=1 shows the server's log when a test needs a look.
                if (Environment.GetEnvironmentVariable("SHIPGATE_TEST_LOGS") is null)
                {
                    collection.AddLogging(logging => logging.ClearProviders());
                }

                services?.Invoke(collection);
            },
            TextWriter.Synchronized(console));
        try
        {
            await server.StartAsync().DefaultTimeout();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return new RunningServer(server, data, console);
    }

    public T Service<T>()
        where T : notnull => Server.Services.GetRequiredService<T>();

    /// <summary>A client that sends <paramref name="token"/> as its bearer token.</summary>
    public HttpClient ClientWith(string token)
    {
        var client = new HttpClient { BaseAddress = Url, Timeout = TestTimeouts.Default };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient AdminClient() => ClientWith(AdminToken);

    /// <summary>Creates a user with <paramref name="role"/> through the API and returns its token.</summary>
    public async Task<string> CreateUserAsync(string name, string role, IReadOnlyList<string>? emails = null, IReadOnlyList<string>? environments = null)
    {
        using var admin = AdminClient();
        using var response = await admin.PostAsJsonAsync("/api/v1/users", new UserCreateRequest(name, emails, role, environments), ApiJsonContext.Default.UserCreateRequest, Ct).DefaultTimeout();
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.UserCreatedResponse, Ct).DefaultTimeout();
        return created!.Token.Token!;
    }

    /// <summary>Keeps the data directory when disposed (a test that restarts a server on it).</summary>
    public bool KeepData { get; set; }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            await Server.StopAsync().DefaultTimeout();
        }
        finally
        {
            await Server.DisposeAsync();
            try
            {
                if (!KeepData)
                {
                    Directory.Delete(DataDirectory, recursive: true);
                }
            }
            catch (IOException)
            {
                // A step's leftover process may still hold a file; the OS cleans the temp directory later.
            }
        }
    }
}
