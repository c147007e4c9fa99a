using System.Net;
using Shipgate.Server;
using Shipgate.Server.Client;

namespace Shipgate.Cli.Commands;

/// <summary>
/// How the client commands reach a server: <c>SHIPGATE_URL</c> (default http://127.0.0.1:5080) and
/// <c>SHIPGATE_TOKEN</c>. Without a token, a local server's <c>DATA/admin.token</c> is used when this user
/// can read it. Refusals become the exit codes of DESIGN.md with the server's sentence on stderr.
/// </summary>
internal static class ServerConnection
{
    public static ShipgateApiClient CreateClient()
    {
        var url = Environment.GetEnvironmentVariable("SHIPGATE_URL") is { Length: > 0 } text ? ParseUrl(text) : ShipgateApiClient.DefaultUrl;
        var token = Environment.GetEnvironmentVariable("SHIPGATE_TOKEN");
        if (string.IsNullOrWhiteSpace(token) && url.IsLoopback)
        {
            var adminToken = Path.Combine(ServerOptions.DefaultDataDirectory(), "admin.token");
            token = File.Exists(adminToken) ? TryRead(adminToken) : null;
        }

        return new ShipgateApiClient(url, token);
    }

    /// <summary>Runs a client command: builds the client, maps refusals to exit codes and prints them as one sentence.</summary>
    public static async Task<int> RunAsync(Func<ShipgateApiClient, Task<int>> command)
    {
        using var client = CreateClient();
        try
        {
            return await command(client).ConfigureAwait(false);
        }
        catch (ShipgateApiException ex)
        {
            Console.Error.WriteLine($"shipgate: {ex.Message}");
            return ExitCode(ex.Status);
        }
        catch (ShipgateServerUnavailableException ex)
        {
            Console.Error.WriteLine($"shipgate: {ex.Message}");
            return CliHost.Failed;
        }
    }

    /// <summary>The project a command names, or the server's only project when it names none.</summary>
    public static async Task<string> ProjectAsync(ShipgateApiClient client, string? project, CancellationToken cancellationToken)
    {
        if (project is not null)
        {
            return project;
        }

        var projects = await client.ListProjectsAsync(cancellationToken).ConfigureAwait(false);
        return projects.Length == 1
            ? projects[0].Name
            : throw new UserInputException($"The server has {projects.Length} projects; name one with --project.");
    }

    /// <summary>401/403 → 3, 404/409 → 4, 400/413/422 → 2, anything else → 1.</summary>
    public static int ExitCode(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => CliHost.NotPermitted,
        HttpStatusCode.NotFound or HttpStatusCode.Conflict or HttpStatusCode.Gone => CliHost.NotFound,
        HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or HttpStatusCode.RequestEntityTooLarge => CliHost.InvalidInput,
        _ => CliHost.Failed,
    };

    private static Uri ParseUrl(string text)
    {
        if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new UserInputException($"SHIPGATE_URL '{text}' is not an http:// or https:// address.");
        }

        return url;
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
