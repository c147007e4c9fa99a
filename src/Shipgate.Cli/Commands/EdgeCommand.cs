using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Shipgate.Edge.Hosting;
using Shipgate.Server;

namespace Shipgate.Cli.Commands;

/// <summary>
/// <c>shipgate edge</c>: runs the edge (proxy, supervisor, admin API) in the foreground. SIGTERM or Ctrl-C ends the edge
/// and leaves its instances running, for the next edge on the same state directory to adopt; <c>shipgate edge stop</c>
/// stops every instance and then the edge. Exit 0 after a stop, 2 when it cannot start (bad options, a taken port, an
/// unwritable state directory, another edge on the same state directory).
/// </summary>
internal static class EdgeCommand
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(5);

    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "The proxy's address, IP:PORT.", DefaultValueFactory = _ => "127.0.0.1:8080" };
        var admin = new Option<string?>("--admin")
        {
            Description = "The admin API: unix:PATH (default unix:STATE/admin.sock) or 127.0.0.1:PORT (with a bearer token in STATE/admin.token).",
        };
        var state = StateOption();
        var isolation = new Option<string>("--isolation")
        {
            Description = "How instances run: sandbox (bubblewrap, as workflow steps) or none.",
            DefaultValueFactory = _ => "sandbox",
        };
        isolation.AcceptOnlyFromAmong("sandbox", "none");
        var hide = new Option<string[]>("--hide")
        {
            Description = "A directory instances must not read (the server's data folder), besides the state directory (repeatable).",
        };
        var command = new Command("edge", "Run the edge: the proxy and the supervisor of deployed services.")
        {
            listen, admin, state, isolation, hide,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            new EdgeHostOptions
            {
                StateDirectory = parse.GetValue(state) ?? DefaultStateDirectory(),
                Listen = parse.GetValue(listen)!,
                Admin = parse.GetValue(admin),
                Isolate = parse.GetValue(isolation) != "none",
                Hidden = parse.GetValue(hide) ?? [],
            },
            cancellationToken));

        var stopState = StateOption();
        var stop = new Command("stop", "Stop the edge: drain and stop every instance, then the edge exits.") { stopState };
        stop.SetAction((parse, cancellationToken) => StopAsync(parse.GetValue(stopState) ?? DefaultStateDirectory(), cancellationToken));
        command.Subcommands.Add(stop);
        return command;
    }

    /// <summary><c>DATA/edge</c>: <c>$SHIPGATE_DATA/edge</c>, else <c>~/.local/share/shipgate/edge</c>.</summary>
    public static string DefaultStateDirectory() => Path.Combine(ServerOptions.DefaultDataDirectory(), "edge");

    private static Option<string?> StateOption() =>
        new("--state") { Description = "The edge's state directory. Default: SHIPGATE_DATA/edge or ~/.local/share/shipgate/edge." };

    private static async Task<int> RunAsync(EdgeHostOptions options, CancellationToken cancellationToken)
    {
        ProcessUmask.RestrictToOwner();

        // Socket completions run inline on the I/O thread rather than hop to the thread pool: 1.1-1.3x the proxy's
        // throughput (docs/benchmarks.md). Read once, when the first socket starts, so set before the host exists.
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(console => console.SingleLine = true)
            .AddFilter("Microsoft", LogLevel.Warning));
        EdgeHost host;
        try
        {
            host = await EdgeHost.StartAsync(options, loggerFactory, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
        catch (EdgeStartException ex)
        {
            Console.Error.WriteLine($"shipgate: {ex.Message}");
            return CliHost.InvalidInput;
        }

        await using (host.ConfigureAwait(false))
        {
            using var exit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Exit);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Exit);
            var listening = string.Join(", ", host.Discovery.Listen);
            Console.Out.WriteLine($"shipgate: edge listening on {listening}, admin API on {host.Discovery.Admin}, state in {Path.GetFullPath(options.StateDirectory)}.");
            try
            {
                await host.StopRequested.WaitAsync(exit.Token).ConfigureAwait(false);
                Console.Out.WriteLine("shipgate: edge stopped with its instances.");
            }
            catch (OperationCanceledException)
            {
                Console.Out.WriteLine(
                    "shipgate: edge exiting; its instances keep running and the next edge adopts them (shipgate edge stop ends them).");
            }

            void Exit(PosixSignalContext context)
            {
                context.Cancel = true;
                exit.Cancel();
            }
        }

        return CliHost.Success;
    }

    private static async Task<int> StopAsync(string stateDirectory, CancellationToken cancellationToken)
    {
        var state = Path.GetFullPath(stateDirectory);
        try
        {
            if (await EdgeLauncher.StopAsync(state, StopTimeout, cancellationToken).ConfigureAwait(false) is not { } pid)
            {
                Console.Error.WriteLine($"shipgate: no edge runs with the state directory {state}.");
                return CliHost.NotFound;
            }

            Console.Out.WriteLine($"shipgate: the edge (pid {pid}) stopped its instances and exited.");
            return CliHost.Success;
        }
        catch (TimeoutException ex)
        {
            Console.Error.WriteLine($"shipgate: {ex.Message}");
            return CliHost.Failed;
        }
    }
}
