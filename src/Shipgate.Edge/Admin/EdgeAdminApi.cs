using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shipgate.Delivery.Edge;
using Shipgate.Edge.Metrics;
using Shipgate.Edge.Supervisor;

namespace Shipgate.Edge.Admin;

/// <summary>
/// The admin API (docs/edge.md, IEdgeClient): the only door to the edge. JSON through <see cref="EdgeJsonContext"/>;
/// every refusal is an <see cref="EdgeProblem"/> of one sentence with 400, 401, 403, 404 or 409, and changes nothing.
/// </summary>
internal static class EdgeAdminApi
{
    /// <summary>The largest JSON body accepted, 1 MiB.</summary>
    private const int MaxJsonBytes = 1 << 20;

    private const int MaxTail = 10_000;

    public static void Map(IEndpointRouteBuilder app, EdgeSupervisor supervisor, EdgeMetrics metrics, Func<EdgeInfo> info, Action stop)
    {
        var json = EdgeJsonContext.Default;
        app.MapGet("/v1/info", () => Results.Json(info(), json.EdgeInfo));
        app.MapMethods("/v1/artifacts/{digest}", ["HEAD"], (string digest) =>
            supervisor.Artifacts.DirectoryOf(digest) is null ? Results.BadRequest()
            : supervisor.Artifacts.Has(digest) ? Results.Ok() : Results.NotFound());
        app.MapPut("/v1/artifacts/{digest}", async (string digest, HttpRequest request, CancellationToken cancellationToken) =>
            await supervisor.Artifacts.UnpackAsync(digest, request.Body, cancellationToken).ConfigureAwait(false) is { } refusal
                ? Problem(400, refusal)
                : Results.NoContent());

        app.MapGet("/v1/state", () => Results.Json(supervisor.GetState(), json.EdgeState));
        app.MapGet("/v1/services/{environment}/{service}", (string environment, string service) =>
            supervisor.GetService(environment, service) is { } status
                ? Results.Json(status, json.EdgeServiceStatus)
                : Problem(404, $"The edge has no service {service} in {environment}."));
        app.MapPut("/v1/services/{environment}/{service}", (string environment, string service, HttpRequest request, CancellationToken cancellationToken) =>
            Refusable(async () => Results.Json(
                await supervisor.PutServiceAsync(
                    environment, service, await ReadAsync(request, json.EdgeServiceSpec, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false),
                json.EdgeServiceStatus)));
        app.MapDelete("/v1/services/{environment}/{service}", (string environment, string service, CancellationToken cancellationToken) =>
            Refusable(async () =>
            {
                await supervisor.DeleteServiceAsync(environment, service, cancellationToken).ConfigureAwait(false);
                return Results.NoContent();
            }));
        app.MapPut(
            "/v1/services/{environment}/{service}/releases/{version}",
            (string environment, string service, string version, HttpRequest request, CancellationToken cancellationToken) =>
            Refusable(async () => Results.Json(
                await supervisor.PutReleaseAsync(
                    environment, service, version, await ReadAsync(request, json.EdgeReleaseSpec, cancellationToken).ConfigureAwait(false), cancellationToken)
                    .ConfigureAwait(false),
                json.EdgeReleaseStatus)));
        app.MapDelete(
            "/v1/services/{environment}/{service}/releases/{version}",
            (string environment, string service, string version, CancellationToken cancellationToken) =>
            Refusable(async () =>
            {
                await supervisor.DeleteReleaseAsync(environment, service, version, cancellationToken).ConfigureAwait(false);
                return Results.NoContent();
            }));
        app.MapPut("/v1/services/{environment}/{service}/routing", (string environment, string service, HttpRequest request, CancellationToken cancellationToken) =>
            Refusable(async () => Results.Json(
                await supervisor.SetRoutingAsync(
                    environment, service, await ReadAsync(request, json.EdgeRoutingSpec, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false),
                json.EdgeServiceStatus)));
        app.MapGet("/v1/services/{environment}/{service}/logs", (string environment, string service, HttpContext context) =>
            Refusable(async () =>
            {
                await WriteLogsAsync(supervisor, environment, service, context).ConfigureAwait(false);
                return Results.Empty;
            }));

        app.MapGet("/v1/metrics", () => Results.Json(metrics.Snapshot(), json.EdgeMetricsSnapshot));
        app.MapGet("/metrics", () =>
        {
            var text = new StringWriter();
            metrics.WritePrometheus(text);
            return Results.Text(text.ToString(), "text/plain; version=0.0.4; charset=utf-8");
        });
        app.MapPost("/v1/stop", () =>
        {
            stop();
            return Results.Accepted();
        });
    }

    /// <summary>Refuses a request without the bearer token (TCP admin listeners only).</summary>
    public static RequestDelegate RequireToken(AdminToken token, RequestDelegate next) => async context =>
    {
        if (token.Check(context.Request) is { } refusal)
        {
            await Problem(refusal.Status, refusal.Error).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    };

    public static IResult Problem(int status, string error) => Results.Json(new EdgeProblem(error), EdgeJsonContext.Default.EdgeProblem, statusCode: status);

    private static async Task<IResult> Refusable(Func<Task<IResult>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (EdgeRefusedException ex)
        {
            return Problem(ex.StatusCode, ex.Message);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxJsonBytes)
            {
                throw EdgeRefusedException.BadInput($"The body is larger than {MaxJsonBytes / 1024} KiB.");
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            var bytes = buffer.ToArray();
            var value = JsonSerializer.Deserialize(bytes, type) ?? throw EdgeRefusedException.BadInput("The body is empty; send a JSON object.");
            using var json = JsonDocument.Parse(bytes);
            return value switch
            {
                EdgeServiceSpec service => (T)(object)EdgeSpecDefaults.Fill(service, json.RootElement),
                EdgeReleaseSpec release => (T)(object)EdgeSpecDefaults.Fill(release, json.RootElement),
                EdgeRoutingSpec routing => (T)(object)EdgeSpecDefaults.Fill(routing, json.RootElement),
                _ => value,
            };
        }
        catch (JsonException ex)
        {
            var where = ex.Path is { Length: > 1 } path ? $" at {path}" : "";
            throw EdgeRefusedException.BadInput($"The body is not a valid {typeof(T).Name} (JSON{where}: a required field missing or a value of the wrong type).");
        }
    }

    private static async Task WriteLogsAsync(EdgeSupervisor supervisor, string environment, string service, HttpContext context)
    {
        var query = context.Request.Query;
        var version = query["version"].ToString() is { Length: > 0 } v ? v : null;
        var tail = 100;
        if (query["tail"].ToString() is { Length: > 0 } t && (!int.TryParse(t, out tail) || tail < 0 || tail > MaxTail))
        {
            throw EdgeRefusedException.BadInput($"tail must be a number of lines from 0 to {MaxTail}.");
        }

        var follow = query["follow"].ToString() is "true" or "1";
        var files = supervisor.LogFiles(environment, service, version);
        var response = context.Response;
        response.ContentType = "text/plain; charset=utf-8";
        var positions = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (id, file) in files)
        {
            foreach (var line in InstanceLog.Tail(file, tail))
            {
                await response.WriteAsync($"{id}: {line}\n", context.RequestAborted).ConfigureAwait(false);
            }

            positions[id] = File.Exists(file) ? new FileInfo(file).Length : 0;
        }

        await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        if (!follow)
        {
            return;
        }

        try
        {
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await Task.Delay(200, context.RequestAborted).ConfigureAwait(false);
                foreach (var (id, file) in supervisor.LogFiles(environment, service, version))
                {
                    positions[id] = await CopyNewLinesAsync(id, file, positions.GetValueOrDefault(id), response, context.RequestAborted).ConfigureAwait(false);
                }

                await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The reader went away.
        }
    }

    /// <summary>Writes the complete lines added after <paramref name="position"/>; returns the new position (0 after a rotation).</summary>
    private static async Task<long> CopyNewLinesAsync(string id, string file, long position, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
        {
            return 0;
        }

        var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        await using (stream.ConfigureAwait(false))
        {
            if (stream.Length < position)
            {
                position = 0; // rotated: copytruncate emptied it
            }

            stream.Position = position;
            var bytes = new byte[Math.Min(stream.Length - position, 1 << 20)];
            var read = await stream.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            var end = Array.LastIndexOf(bytes, (byte)'\n', Math.Max(0, read - 1));
            if (read == 0 || end < 0)
            {
                return position;
            }

            foreach (var line in Encoding.UTF8.GetString(bytes, 0, end).Split('\n'))
            {
                await response.WriteAsync($"{id}: {line}\n", cancellationToken).ConfigureAwait(false);
            }

            return position + end + 1;
        }
    }
}
