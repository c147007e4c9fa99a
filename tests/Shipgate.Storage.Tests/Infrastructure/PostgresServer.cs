using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Shipgate.Storage.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster from Debian's <c>postgresql</c> binaries: initdb into a temporary
/// folder, started with pg_ctl on a free port with its unix socket in that folder, stopped and deleted
/// at the end. PostgreSQL refuses to run as root, so as root the cluster belongs to the <c>postgres</c>
/// system user (runuser). When the binaries are missing it fails, saying how to install them.
/// </summary>
public sealed partial class PostgresServer : IAsyncDisposable
{
    private const string InstallHint = "PostgreSQL's server binaries are missing (no /usr/lib/postgresql/*/bin/initdb): install them with `apt-get install postgresql` (test.sh does this).";

    private static int s_schemaCounter;

    private readonly bool _durable;
    private string? _root;
    private string? _binaries;
    private bool _started;

    public PostgresServer()
        : this(durable: false)
    {
    }

    /// <param name="durable">fsync every commit as a production server does (for benchmarks); tests run without.</param>
    internal PostgresServer(bool durable) => _durable = durable;

    public int Port { get; private set; }

    /// <summary>The folder that holds the cluster's unix socket (also its data and log).</summary>
    public string SocketDirectory => _root ?? throw new InvalidOperationException("The server is not started.");

    public string ConnectionString(string database = "postgres") =>
        $"Host={SocketDirectory};Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database={database};Maximum Pool Size=20";

    public async ValueTask InitializeAsync()
    {
        _binaries = FindBinaries() ?? throw new InvalidOperationException(InstallHint);
        _root = Directory.CreateTempSubdirectory("shipgate-pg-").FullName;
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", ["postgres:postgres", _root]).ConfigureAwait(false);
        }

        var data = Path.Combine(_root, "data");
        await RunPostgresToolAsync(asRoot, "initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--no-instructions"]).ConfigureAwait(false);
        Port = FreePort();
        var settings = $"-p {Port.ToString(CultureInfo.InvariantCulture)} -k {_root} -c listen_addresses=127.0.0.1 -c max_connections=200";
        if (!_durable)
        {
            settings += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        }

        await RunPostgresToolAsync(asRoot, "pg_ctl", ["-D", data, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "-o", settings, "start"]).ConfigureAwait(false);
        _started = true;
    }

    /// <summary>A new empty schema in the cluster, and a connection string whose search path is that schema.</summary>
    public async Task<string> CreateSchemaAsync(CancellationToken cancellationToken = default)
    {
        var schema = $"t{Interlocked.Increment(ref s_schemaCounter).ToString(CultureInfo.InvariantCulture)}_{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";
        await using (var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false"))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE SCHEMA {schema}";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return $"{ConnectionString()};Search Path={schema}";
    }

    public async ValueTask DisposeAsync()
    {
        if (_root is null)
        {
            return;
        }

        try
        {
            if (_started)
            {
                await RunPostgresToolAsync(Environment.UserName == "root", "pg_ctl", ["-D", Path.Combine(_root, "data"), "-m", "immediate", "-w", "stop"]).ConfigureAwait(false);
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(_root, recursive: true);
        }
    }

    private static string? FindBinaries()
    {
        const string Versions = "/usr/lib/postgresql";
        if (!Directory.Exists(Versions))
        {
            return null;
        }

        return Directory.EnumerateDirectories(Versions)
            .Select(directory => Path.Combine(directory, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
            .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), NumberStyles.Integer, CultureInfo.InvariantCulture, out var version) ? version : 0)
            .FirstOrDefault();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task RunPostgresToolAsync(bool asRoot, string tool, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(_binaries!, tool);
        return asRoot ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments]) : RunAsync(path, arguments);
    }

    private async Task RunAsync(string fileName, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _root ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var log = _root is not null && File.Exists(Path.Combine(_root, "server.log")) ? await File.ReadAllTextAsync(Path.Combine(_root, "server.log")).ConfigureAwait(false) : "";
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output.ConfigureAwait(false)}{await error.ConfigureAwait(false)}{log}");
        }
    }
}
