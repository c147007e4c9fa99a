using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shipgate.Server.Api;
using Shipgate.Server.Approvals;
using Shipgate.Server.Artifacts;
using Shipgate.Server.Audit;
using Shipgate.Server.Deployments;
using Shipgate.Server.Secrets;
using Shipgate.Server.Auth;
using Shipgate.Server.Hosting;
using Shipgate.Server.Projects;
using Shipgate.Server.Runs;
using Shipgate.Server.Triggers;
using Shipgate.Server.Ui;

namespace Shipgate.Server;

/// <summary>The server's HTTP surface: <c>/healthz</c>, <c>/openapi/v1.json</c> and the REST API under <c>/api/v1</c>.</summary>
internal static class ShipgateEndpoints
{
    public static void MapShipgateEndpoints(this WebApplication app)
    {
        // The web UI answers only on its port and the API only on its own (ADR 0032).
        app.UsePortSplit();
        app.UseExceptionHandler();
        app.UseStatusCodePages(context => WriteStatusProblemAsync(context.HttpContext));
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseNulCharacterGuard();

        app.MapGet("/healthz", (ServerReadiness readiness, IOptions<ServerOptions> options) =>
                !readiness.IsReady ? Results.Text("starting\n", statusCode: StatusCodes.Status503ServiceUnavailable)
                : readiness.Fault(options.Value.DataDirectory!) is { } fault
                    ? Results.Text(fault + "\n", statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Text("ok\n"))
            .ExcludeFromDescription();
        app.MapOpenApi("/openapi/{documentName}.json");

        var api = app.MapGroup("/api/v1");
        UserEndpoints.Map(api);
        ProjectEndpoints.Map(api);
        RunEndpoints.Map(api);
        GitHubWebhookEndpoint.Map(api);
        SecretEndpoints.Map(api);
        AuditEndpoints.Map(api);
        ApprovalEndpoints.Map(api);
        FreezeOverrideEndpoints.Map(api);
        StatusEndpoints.Map(api);
        ArtifactEndpoints.Map(api);
        Notifications.NotificationWebhookEndpoints.Map(api);
        DeploymentEndpoints.Map(api);
        DeploymentVerbEndpoints.Map(api);
        Environments.EnvironmentEndpoints.Map(api);
        Flags.FlagEndpoints.Map(api);
        Insights.InsightsEndpoints.Map(api);
        Flags.OfrepEndpoints.Map(app);
        Ui.UiLinkEndpoints.Map(api);
        UiEndpoints.Map(app);
    }

    /// <summary>A problem+json body, with a sentence a person can act on, for an error the framework answered without one.</summary>
    public static Task WriteStatusProblemAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var request = context.Request;
        var (title, detail) = status switch
        {
            StatusCodes.Status400BadRequest => ("Bad request", "The request is malformed: its parameters or JSON body do not match the API (see /openapi/v1.json)."),
            StatusCodes.Status404NotFound => ("Not found", $"There is no API at {request.Path}."),
            StatusCodes.Status405MethodNotAllowed => ("Method not allowed", $"{request.Method} is not allowed on {request.Path}."),
            StatusCodes.Status413PayloadTooLarge => ("Payload too large", $"The request body is larger than the {BodyLimit(context)} bytes the server accepts."),
            StatusCodes.Status415UnsupportedMediaType => ("Unsupported media type", "The request body must be JSON (Content-Type: application/json)."),
            _ => (ReasonPhrases.GetReasonPhrase(status), $"The server answered {status} {ReasonPhrases.GetReasonPhrase(status)}."),
        };
        return Problems.Write(context, status, title, detail);
    }

    private static string BodyLimit(HttpContext context) =>
        (context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize
            ?? context.RequestServices.GetRequiredService<IOptions<ServerOptions>>().Value.MaxRequestBodyBytes).ToString(CultureInfo.InvariantCulture);
}
