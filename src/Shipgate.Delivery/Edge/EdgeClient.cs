using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Shipgate.Delivery.Edge;

/// <summary>
/// The admin API over HTTP: a Unix socket (<c>unix:PATH</c>, through <see cref="SocketsHttpHandler.ConnectCallback"/>)
/// or TCP (<c>http://127.0.0.1:PORT</c>) with the bearer token read from <see cref="EdgeConnection.TokenFile"/>.
/// Refusals throw <see cref="EdgeApiException"/>; an edge that cannot be reached <see cref="EdgeUnavailableException"/>.
/// </summary>
public sealed class EdgeClient : IEdgeClient, IDisposable
{
    private readonly HttpClient _http;

    public EdgeClient(EdgeConnection connection)
    {
        Connection = connection;
        var handler = new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) };
        Uri baseAddress;
        if (connection.AdminAddress.StartsWith("unix:", StringComparison.Ordinal))
        {
            var socket = connection.AdminAddress["unix:".Length..];
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await unix.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(unix, ownsSocket: true);
                }
                catch
                {
                    unix.Dispose();
                    throw;
                }
            };
            baseAddress = new Uri("http://edge/");
        }
        else
        {
            baseAddress = new Uri(connection.AdminAddress.TrimEnd('/') + "/");
        }

        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    public EdgeConnection Connection { get; }

    public async Task<EdgeInfo> GetInfoAsync(CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Get, "v1/info", null, EdgeJsonContext.Default.EdgeInfo, cancellationToken).ConfigureAwait(false);

    public async Task<bool> HasArtifactAsync(string digest, CancellationToken cancellationToken = default)
    {
        using var response = await RawAsync(HttpMethod.Head, $"v1/artifacts/{Escape(digest)}", null, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task UploadArtifactAsync(string digest, Stream tar, CancellationToken cancellationToken = default)
    {
        using var content = new StreamContent(tar);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        await CallAsync(HttpMethod.Put, $"v1/artifacts/{Escape(digest)}", content, cancellationToken).ConfigureAwait(false);
    }

    public async Task<EdgeServiceStatus> PutServiceAsync(
        string environment, string service, EdgeServiceSpec spec, CancellationToken cancellationToken = default) =>
        await SendAsync(
            HttpMethod.Put,
            ServicePath(environment, service),
            Json(spec, EdgeJsonContext.Default.EdgeServiceSpec),
            EdgeJsonContext.Default.EdgeServiceStatus,
            cancellationToken).ConfigureAwait(false);

    public Task DeleteServiceAsync(string environment, string service, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Delete, ServicePath(environment, service), null, cancellationToken);

    public async Task<EdgeReleaseStatus> PutReleaseAsync(
        string environment, string service, string version, EdgeReleaseSpec spec, CancellationToken cancellationToken = default) =>
        await SendAsync(
            HttpMethod.Put,
            $"{ServicePath(environment, service)}/releases/{Escape(version)}",
            Json(spec, EdgeJsonContext.Default.EdgeReleaseSpec),
            EdgeJsonContext.Default.EdgeReleaseStatus,
            cancellationToken).ConfigureAwait(false);

    public Task DeleteReleaseAsync(string environment, string service, string version, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Delete, $"{ServicePath(environment, service)}/releases/{Escape(version)}", null, cancellationToken);

    public async Task<EdgeServiceStatus> SetRoutingAsync(
        string environment, string service, EdgeRoutingSpec routing, CancellationToken cancellationToken = default) =>
        await SendAsync(
            HttpMethod.Put,
            $"{ServicePath(environment, service)}/routing",
            Json(routing, EdgeJsonContext.Default.EdgeRoutingSpec),
            EdgeJsonContext.Default.EdgeServiceStatus,
            cancellationToken).ConfigureAwait(false);

    public async Task<EdgeServiceStatus?> GetServiceAsync(string environment, string service, CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendAsync(HttpMethod.Get, ServicePath(environment, service), null, EdgeJsonContext.Default.EdgeServiceStatus, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (EdgeApiException ex) when (ex.StatusCode == 404)
        {
            return null;
        }
    }

    public async Task<EdgeState> GetStateAsync(CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Get, "v1/state", null, EdgeJsonContext.Default.EdgeState, cancellationToken).ConfigureAwait(false);

    public async Task<EdgeMetricsSnapshot> GetMetricsAsync(CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Get, "v1/metrics", null, EdgeJsonContext.Default.EdgeMetricsSnapshot, cancellationToken).ConfigureAwait(false);

    /// <summary><c>POST /v1/stop</c>: the edge drains and stops every instance, then exits (<c>shipgate edge stop</c>).</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => CallAsync(HttpMethod.Post, "v1/stop", null, cancellationToken);

    public async IAsyncEnumerable<string> ReadLogsAsync(
        string environment,
        string service,
        string? version,
        int tail,
        bool follow,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var query = $"?tail={tail}&follow={(follow ? "true" : "false")}" + (version is null ? "" : $"&version={Escape(version)}");
        var path = $"{ServicePath(environment, service)}/logs{query}";
        using var response = await RawAsync(HttpMethod.Get, path, null, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        while (await ReadLineAsync(reader, cancellationToken).ConfigureAwait(false) is { } line)
        {
            yield return line;
        }
    }

    public void Dispose() => _http.Dispose();

    private static async Task<string?> ReadLineAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static string ServicePath(string environment, string service) => $"v1/services/{Escape(environment)}/{Escape(service)}";

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static ByteArrayContent Json<T>(T value, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>A call whose answer has no body to read.</summary>
    private async Task CallAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await RawAsync(method, path, content, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> SendAsync<T>(
        HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await RawAsync(method, path, content, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
                ?? throw new EdgeUnavailableException($"The edge at {Connection.AdminAddress} answered {path} with an empty body.");
        }
        catch (JsonException ex)
        {
            throw new EdgeUnavailableException(
                $"The edge at {Connection.AdminAddress} answered {path} with something that is not its JSON (another program on that address?).", ex);
        }
    }

    private async Task<HttpResponseMessage> RawAsync(
        HttpMethod method, string path, HttpContent? content, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (Connection.TokenFile is { } tokenFile && !Connection.AdminAddress.StartsWith("unix:", StringComparison.Ordinal))
        {
            var token = await ReadTokenAsync(tokenFile, cancellationToken).ConfigureAwait(false);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        try
        {
            return await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            var reason = ex.InnerException is SocketException socket ? socket.Message : ex.Message;
            throw new EdgeUnavailableException(
                $"The edge at {Connection.AdminAddress} cannot be reached ({reason.TrimEnd('.')}); is it running? shipgate edge starts one.", ex);
        }
    }

    private async Task<string> ReadTokenAsync(string tokenFile, CancellationToken cancellationToken)
    {
        try
        {
            return (await File.ReadAllTextAsync(tokenFile, cancellationToken).ConfigureAwait(false)).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EdgeUnavailableException(
                $"The edge's admin token {tokenFile} cannot be read ({ex.Message.TrimEnd('.')}), so the edge at {Connection.AdminAddress} cannot be called.", ex);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string? error = null;
        try
        {
            error = (await response.Content.ReadFromJsonAsync(EdgeJsonContext.Default.EdgeProblem, cancellationToken).ConfigureAwait(false))?.Error;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            // Not the edge's problem body (a HEAD, or another program): the status says it.
        }

        throw new EdgeApiException((int)response.StatusCode, error ?? $"The edge answered {(int)response.StatusCode} {response.ReasonPhrase}.");
    }
}
