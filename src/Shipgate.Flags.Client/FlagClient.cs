using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Shipgate.Flags.Client;

/// <summary>
/// Keeps one environment's flags current in a service and evaluates them locally. It fetches
/// <c>GET {url}/flags/v1/document</c> at once, then polls with <c>If-None-Match</c> every
/// <see cref="FlagClientOptions.PollInterval"/>, and swaps in each new document atomically. Evaluations never wait,
/// allocate or touch the network; until the first document arrives they give the caller's default with reason
/// <see cref="FlagReason.Error"/> and code <see cref="FlagErrorCode.General"/> (OpenFeature's PROVIDER_NOT_READY has
/// no code of its own in the evaluator), or <see cref="FlagErrorCode.ParseError"/> when the only documents received
/// were rejected. A failed fetch or a document that does not parse is logged and the last good document kept: nothing
/// here throws into the service after construction. Each evaluation with a variant is recorded in
/// <see cref="FlagsServed.Current"/>, for the <c>X-Shipgate-Flags</c> header. Disposing stops polling.
/// </summary>
public sealed class FlagClient : IAsyncDisposable, IDisposable
{
    /// <summary>The largest document taken: 64 MiB.</summary>
    public const int MaxDocumentBytes = 64 * 1024 * 1024;

    private const string NotYetMessage = "The flags have not arrived from the server yet.";
    private const string RejectedMessage = "The server's flag document was rejected; see the log.";

    private readonly FlagClientOptions _options;
    private readonly Uri _documentUrl;
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _polling;
    private FlagConfiguration? _configuration;
    private string? _etag;
    private string? _acceptedETag;
    private FlagErrorCode _notReadyCode = FlagErrorCode.General;
    private string _notReadyMessage = NotYetMessage;
    private int _disposed;

    /// <summary>Starts fetching the flags <paramref name="options"/> name (default: from the environment variables the edge sets).</summary>
    /// <exception cref="ArgumentException">The options lack the URL or the key, or hold impossible values; the message says which.</exception>
    public FlagClient(FlagClientOptions? options = null)
    {
        _options = options ?? FlagClientOptions.FromEnvironment();
        if (_options.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        var baseUrl = _options.Url!.AbsoluteUri;
        _documentUrl = new Uri(baseUrl.TrimEnd('/') + "/flags/v1/document");
        _http = new HttpClient(_options.Handler ?? new SocketsHttpHandler(), disposeHandler: _options.Handler is null)
        {
            Timeout = _options.RequestTimeout,
            // A document is read whole to be parsed; a server gone wrong must not fill the service's memory.
            MaxResponseContentBufferSize = MaxDocumentBytes,
        };
        _logger = _options.Logger ?? NullLogger.Instance;
        _polling = Task.Run(PollAsync);
    }

    /// <summary>The configuration evaluations use now; null until the first document arrives.</summary>
    public FlagConfiguration? Configuration => Volatile.Read(ref _configuration);

    /// <summary>The strong ETag of the document in <see cref="Configuration"/>; null before the first.</summary>
    public string? ETag => Volatile.Read(ref _acceptedETag);

    /// <summary>Completes when the first good document is in place (or at once if it is); never fails.</summary>
    public Task WaitUntilReadyAsync(CancellationToken cancellationToken = default) => _ready.Task.WaitAsync(cancellationToken);

    public FlagEvaluation<bool> EvaluateBoolean(string key, bool defaultValue, FlagContext? context = null) =>
        Served(key, Volatile.Read(ref _configuration) is { } flags ? flags.EvaluateBoolean(key, defaultValue, context) : NotReady(defaultValue));

    public FlagEvaluation<string> EvaluateString(string key, string defaultValue, FlagContext? context = null) =>
        Served(key, Volatile.Read(ref _configuration) is { } flags ? flags.EvaluateString(key, defaultValue, context) : NotReady(defaultValue));

    public FlagEvaluation<double> EvaluateNumber(string key, double defaultValue, FlagContext? context = null) =>
        Served(key, Volatile.Read(ref _configuration) is { } flags ? flags.EvaluateNumber(key, defaultValue, context) : NotReady(defaultValue));

    public FlagEvaluation<JsonElement> EvaluateObject(string key, JsonElement defaultValue, FlagContext? context = null) =>
        Served(key, Volatile.Read(ref _configuration) is { } flags ? flags.EvaluateObject(key, defaultValue, context) : NotReady(defaultValue));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _polling.ConfigureAwait(false);
        _http.Dispose();
        _stopping.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static FlagEvaluation<T> Served<T>(string key, FlagEvaluation<T> evaluation)
    {
        if (evaluation.Variant is { } variant)
        {
            FlagsServed.Current?.Record(key, variant);
        }

        return evaluation;
    }

    private FlagEvaluation<T> NotReady<T>(T defaultValue) => new(defaultValue, null, FlagReason.Error, _notReadyCode, _notReadyMessage);

    private async Task PollAsync()
    {
        using var timer = new PeriodicTimer(_options.PollInterval, _options.TimeProvider);
        try
        {
            do
            {
                await FetchAsync(_stopping.Token).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    private async Task FetchAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _documentUrl);
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _options.Key);
            if (_options.Project is { } project)
            {
                request.Headers.TryAddWithoutValidation("X-Shipgate-Project", project);
            }

            if (_options.Environment is { } environment)
            {
                request.Headers.TryAddWithoutValidation("X-Shipgate-Environment", environment);
            }

            if (Volatile.Read(ref _etag) is { } etag)
            {
                request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            }

            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                return;
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Log.FetchFailed(_logger, _documentUrl, $"{(int)response.StatusCode} {response.ReasonPhrase}{Details(body)}");
                return;
            }

            Accept(response.Headers.ETag?.ToString(), body);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // A service keeps serving with its last flags whatever goes wrong here (timeouts come as cancellations).
            Log.FetchFailed(_logger, _documentUrl, ex is TaskCanceledException ? "no answer in time" : ex.Message);
        }
    }

    private void Accept(string? etag, string body)
    {
        var parsed = FlagConfiguration.Parse(body, _options.TimeProvider);
        // Remembered even when rejected, so the server answers 304 until the document changes again.
        Volatile.Write(ref _etag, etag);
        if (parsed.Configuration is not { } configuration)
        {
            Log.Rejected(_logger, _documentUrl, string.Join(" ", parsed.Errors));
            if (Volatile.Read(ref _configuration) is null)
            {
                (_notReadyCode, _notReadyMessage) = (FlagErrorCode.ParseError, RejectedMessage);
            }

            return;
        }

        Volatile.Write(ref _acceptedETag, etag);
        Volatile.Write(ref _configuration, configuration);
        Log.Loaded(_logger, etag ?? "(none)", _documentUrl, configuration.Keys.Count);
        _ready.TrySetResult();
    }

    // The server's 401/403/404 carry an OFREP-style {"errorCode":..,"errorDetails":..}: its sentence says what to fix.
    private static string Details(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("errorDetails", out var details) && details.ValueKind == JsonValueKind.String
                ? ": " + details.GetString()
                : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
