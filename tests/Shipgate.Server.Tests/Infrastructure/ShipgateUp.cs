using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Shipgate.Server.Tests.Infrastructure;

/// <summary>
/// The real <c>shipgate up</c> as a child process on a free port and a throwaway data directory, and the
/// real <c>shipgate</c> client pointed at it. Disposing stops it (SIGTERM, then SIGKILL), stops the local edge it
/// started (<c>shipgate edge stop</c>) and deletes the data.
/// </summary>
internal sealed class ShipgateUp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private readonly bool _ownsData;

    private ShipgateUp(Process process, string dataDirectory, int port, bool ownsData)
    {
        _process = process;
        _ownsData = ownsData;
        DataDirectory = dataDirectory;
        Url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string DataDirectory { get; }

    public Uri Url { get; }

    public string AdminToken => File.ReadAllText(Path.Combine(DataDirectory, "admin.token")).Trim();

    /// <summary>What the server printed so far (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>shipgate up --data TEMP --port FREE</c> with <paramref name="arguments"/> and waits for <c>/healthz</c>.</summary>
    public static Task<ShipgateUp> StartAsync(params string[] arguments) =>
        StartAsync(Directory.CreateTempSubdirectory("shipgate-up-").FullName, Ports.Free(), ownsData: true, new Dictionary<string, string>(), arguments);

    /// <summary>
    /// Starts <c>shipgate up</c> on the caller's <paramref name="dataDirectory"/> and <paramref name="port"/> (so a
    /// later server can start again on the same data), with <paramref name="environment"/> added, and waits for
    /// <c>/healthz</c>. Disposing leaves the data directory to the caller.
    /// </summary>
    public static Task<ShipgateUp> StartOnAsync(string dataDirectory, int port, IReadOnlyDictionary<string, string> environment) =>
        StartAsync(dataDirectory, port, ownsData: false, environment, []);

    private static async Task<ShipgateUp> StartAsync(string data, int port, bool ownsData, IReadOnlyDictionary<string, string> environment, string[] arguments)
    {
        var start = new ProcessStartInfo(ShipgateProcess.Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["up", "--data", data, "--port", port.ToString(CultureInfo.InvariantCulture), "--edge-port", "0", "--ui-port", "0", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SHIPGATE_DB"] = null;
        start.Environment["SHIPGATE_DATA"] = null;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var up = new ShipgateUp(Process.Start(start)!, data, port, ownsData);
        try
        {
            using var health = new HttpClient { BaseAddress = up.Url, Timeout = TimeSpan.FromSeconds(5) };
            await EventuallyAsync(async () =>
            {
                if (up._process.HasExited)
                {
                    throw new InvalidOperationException($"shipgate up exited with {up._process.ExitCode}:\n{up.Output}");
                }

                try
                {
                    using var response = await health.GetAsync("/healthz", Ct);
                    return response.StatusCode == HttpStatusCode.OK ? "ready" : null;
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            }, "shipgate up to answer /healthz", TimeSpan.FromSeconds(60));
        }
        catch
        {
            await up.DisposeAsync();
            throw;
        }

        return up;
    }

    /// <summary>Runs the <c>shipgate</c> client against this server as the owner of <paramref name="token"/> (default: the admin).</summary>
    public Task<ProcessResult> RunAsync(IEnumerable<string> arguments, string? token = null, string? standardInput = null) =>
        ShipgateProcess.RunAsync(arguments, new Dictionary<string, string?> { ["SHIPGATE_URL"] = Url.ToString(), ["SHIPGATE_TOKEN"] = token ?? AdminToken }, standardInput);

    /// <summary>Runs a client command with <c>--json</c> and reads its output; fails with what the command said when it did not succeed.</summary>
    public async Task<T> JsonAsync<T>(IEnumerable<string> arguments, JsonTypeInfo<T> type, string? token = null)
    {
        var result = await RunAsync([.. arguments, "--json"], token);
        try
        {
            return JsonSerializer.Deserialize(result.Stdout, type)!;
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"shipgate {string.Join(' ', arguments)} --json did not print JSON: {result}", ex);
        }
    }

    /// <summary>Adds <paramref name="repository"/> as the project <c>web</c> and dispatches <paramref name="workflow"/> through the CLI; returns the run's id.</summary>
    public async Task<string> DispatchAsync(TestRepository repository, string workflow)
    {
        var added = await RunAsync(["project", "add", "web", "--repo", repository.Root]);
        var dispatched = await RunAsync(["dispatch", "web", workflow]);
        return added.ExitCode == 0 && dispatched.ExitCode == 0
            ? dispatched.LastLine
            : throw new InvalidOperationException($"Adding the project and dispatching {workflow}: {added}\n{dispatched}");
    }

    /// <summary>The address of the proxy of the local edge this server started, from the edge's discovery file.</summary>
    public async Task<Uri> EdgeAsync()
    {
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(DataDirectory, "edge", "edge.json"), Ct));
        return new Uri(json.RootElement.GetProperty("listen")[0].GetString()!);
    }

    /// <summary>GET / of <paramref name="host"/> through the local edge: the status, the <c>X-Shipgate-Version</c> that answered, the body.</summary>
    public async Task<(HttpStatusCode Status, string? Version, string Body)> GetThroughEdgeAsync(string host)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, await EdgeAsync());
        request.Headers.Host = host;
        using var response = await client.SendAsync(request, Ct);
        var version = response.Headers.TryGetValues("X-Shipgate-Version", out var values) ? values.First() : null;
        return (response.StatusCode, version, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>Kills the server with SIGKILL, as a crash would, and waits for it to be gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync(Ct).DefaultTimeout();
    }

    /// <summary>Stops the server cleanly with SIGTERM (as Ctrl-C, systemd or an upgrade does) and waits for it to exit; returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
        await _process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(45));
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // SIGTERM: the clean stop Ctrl-C gives; SIGKILL when it does not come.
                Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(40));
                try
                {
                    await _process.WaitForExitAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
        }
        finally
        {
            _process.Dispose();

            // The local edge up started outlives the server by design: a test ends it, with its instances.
            await ShipgateProcess.RunAsync(["edge", "stop", "--state", Path.Combine(DataDirectory, "edge")], new Dictionary<string, string?>());
            if (_ownsData)
            {
                try
                {
                    Directory.Delete(DataDirectory, recursive: true);
                }
                catch (IOException)
                {
                    // A step's leftover process may still hold a file; the OS cleans the temp directory later.
                }
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
