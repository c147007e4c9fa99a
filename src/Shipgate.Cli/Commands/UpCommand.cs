using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Shipgate.Edge.Hosting;
using Shipgate.Engine.Sandbox;
using Shipgate.Server;
using Shipgate.Storage;

namespace Shipgate.Cli.Commands;

/// <summary>
/// <c>shipgate up</c>: runs the Shipgate server in the foreground until Ctrl-C or SIGTERM, which stop it
/// cleanly (running steps are stopped and their runs handed to the next start, as after a crash; waiting approvals stay
/// pending). Before the server starts it attaches to the local edge of <c>DATA/edge</c>, or starts one on
/// <c>--edge-port</c> as a process of its own that outlives the server (<c>shipgate edge stop</c> ends it). Exit 0
/// after a clean stop, 2 for invalid options, 1 when the server or the edge cannot start (e.g. a port is taken).
/// </summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "The data directory (store, logs, artifacts, admin.token). Default: SHIPGATE_DATA or ~/.local/share/shipgate." };
        var port = new Option<int>("--port") { Description = "The API's port on 127.0.0.1.", DefaultValueFactory = _ => 5080 };
        var edgePort = new Option<int>("--edge-port")
        {
            Description = "The port the local edge serves deployed services on (0: a free one), when none runs for the data directory yet.",
            DefaultValueFactory = _ => 8080,
        };
        var uiPort = new Option<int>("--ui-port") { Description = "The web UI's port on 127.0.0.1 (0: a free one).", DefaultValueFactory = _ => 5081 };
        var db = new Option<string?>("--db") { Description = "The store: a postgres:// URL or Host=... for PostgreSQL. Default: SHIPGATE_DB, else SQLite in the data directory." };
        var demo = new Option<bool>("--demo") { Description = "Register the bundled sample service and run its delivery pipeline." };
        var command = new Command("up", "Run the Shipgate server (API, scheduler, runner) in the foreground.") { data, port, edgePort, uiPort, db, demo };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(data),
            parse.GetValue(port),
            parse.GetValue(edgePort),
            parse.GetValue(uiPort),
            parse.GetValue(db),
            parse.GetValue(demo),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? data, int port, int edgePort, int uiPort, string? db, bool demo, CancellationToken cancellationToken)
    {
        ProcessUmask.RestrictToOwner();
        void Configure(ServerOptions options)
        {
            options.DataDirectory = data ?? options.DataDirectory;
            options.Port = port;
            options.EdgePort = edgePort;
            options.UiPort = uiPort;
            options.Database = db ?? options.Database;
            options.Demo = demo;
            // The demo is the README's first command on a fresh machine: without bubblewrap it runs the bundled sample's
            // steps unisolated (the server warns at start) rather than not at all. A real server refuses to start.
            if (demo && Environment.GetEnvironmentVariable("Shipgate__StepIsolation") is null && StepSandbox.FindProblem() is not null)
            {
                options.StepIsolation = StepIsolation.None;
            }
        }

        ServerOptions checkedOptions;
        await using (var unstarted = ShipgateServer.Create(Configure))
        {
            try
            {
                // Every option is checked (and reported at once) before the edge is started with some of them.
                checkedOptions = unstarted.Options;
            }
            catch (OptionsValidationException ex)
            {
                foreach (var failure in ex.Failures)
                {
                    Console.Error.WriteLine($"shipgate: {failure}");
                }

                return CliHost.InvalidInput;
            }
        }

        try
        {
            var edge = await EdgeLauncher.EnsureRunningAsync(
                new EdgeLaunchOptions
                {
                    StateDirectory = Path.Combine(checkedOptions.DataDirectory!, "edge"),
                    Listen = $"127.0.0.1:{edgePort.ToString(CultureInfo.InvariantCulture)}",
                    Isolate = checkedOptions.StepIsolation != StepIsolation.None,
                    Hidden = [checkedOptions.DataDirectory!],
                },
                cancellationToken).ConfigureAwait(false);
            // The server reaches the edge through these (ServerOptions.Edge binds them): the process's configuration.
            Environment.SetEnvironmentVariable("Shipgate__Edge__Admin", edge.AdminAddress);
            Environment.SetEnvironmentVariable("Shipgate__Edge__TokenFile", edge.TokenFile);
        }
        catch (EdgeStartException ex)
        {
            Console.Error.WriteLine($"shipgate: {ex.Message}");
            return CliHost.Failed;
        }

        await using var server = ShipgateServer.Create(Configure);
        try
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StoreException or SandboxException)
        {
            Console.Error.WriteLine($"shipgate: {ex.Message}");
            return CliHost.Failed;
        }
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            Console.Error.WriteLine($"shipgate: port {port} or {uiPort} on 127.0.0.1 is in use (another shipgate up?); pass --port or --ui-port to choose another.");
            return CliHost.Failed;
        }

        Console.Out.WriteLine($"shipgate: listening on {server.Url} with data in {server.Options.DataDirectory}; Ctrl-C stops the server.");
        Console.Out.WriteLine(await server.CreateAdminSignInLinkAsync(cancellationToken).ConfigureAwait(false) is { } link
            ? $"shipgate: web UI on {server.UiUrl}; sign in as the admin (once, within 10 minutes): {link}"
            : $"shipgate: web UI on {server.UiUrl}; sign in with an API token.");
        await server.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        Console.Out.WriteLine("shipgate: stopped.");
        return CliHost.Success;
    }
}
