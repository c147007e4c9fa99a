using Microsoft.AspNetCore.Http;
using Shipgate.Server.Audit;
using Shipgate.Server.Auth;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Flags;

namespace Shipgate.Server.Flags;

/// <summary>
/// Authenticates the readers of flags (OFREP and <c>GET /flags/v1/document</c>): <c>Authorization: Bearer KEY</c> with an
/// environment's client key (<c>sgk_…</c>), which reads that environment only, or with a user's API token and the
/// headers <c>X-Shipgate-Project</c> and <c>X-Shipgate-Environment</c>. Refused client keys are counted in the audit log
/// (<see cref="RejectedRequests"/>), not written one by one.
/// </summary>
internal sealed class FlagReaders(ServerStore store, FlagClientKeys keys, FlagEnvironments environments, RejectedRequests rejected)
{
    public const string ProjectHeader = "X-Shipgate-Project";
    public const string EnvironmentHeader = "X-Shipgate-Environment";

    public async ValueTask<FlagReader> ResolveAsync(HttpContext context, CancellationToken cancellationToken = default)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var project = context.Request.Headers[ProjectHeader].ToString();
        var environment = context.Request.Headers[EnvironmentHeader].ToString();
        if (header.StartsWith("Bearer " + FlagStore.KeyPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var key = await keys.AuthenticateAsync(header[7..].Trim(), cancellationToken).ConfigureAwait(false);
            if (key is null)
            {
                Reject(context, "flags", "the client key is unknown or was revoked");
                return FlagReader.Refuse(StatusCodes.Status401Unauthorized, "The client key is not valid: it is unknown or was revoked.");
            }

            if (environment.Length > 0 && !string.Equals(environment, key.Environment, StringComparison.OrdinalIgnoreCase))
            {
                Reject(context, $"environment/{environment}", $"a client key of {key.Environment} asked for {environment}");
                return FlagReader.Refuse(StatusCodes.Status403Forbidden, $"This client key reads the flags of the environment '{key.Environment}' only.");
            }

            if (project.Length > 0 && await store.Store.Projects.GetAsync(key.ProjectId, cancellationToken).ConfigureAwait(false) is { } own
                && !string.Equals(own.Name, project, StringComparison.Ordinal))
            {
                Reject(context, $"project/{project}", $"a client key of project {own.Name} asked for {project}");
                return FlagReader.Refuse(StatusCodes.Status403Forbidden, $"This client key reads the flags of the project '{own.Name}' only.");
            }

            return new FlagReader(key.ProjectId, key.Environment, StatusCodes.Status200OK, null);
        }

        if (Caller.From(context.User) is not { } caller)
        {
            var reason = context.Items[TokenAuthenticationHandler.FailureItem] as string
                ?? "Reading flags needs 'Authorization: Bearer KEY' with an environment's client key or a user's API token.";
            return FlagReader.Refuse(StatusCodes.Status401Unauthorized, reason);
        }

        if (!caller.Has(Storage.Users.UserRole.Viewer))
        {
            return FlagReader.Refuse(StatusCodes.Status403Forbidden, "Reading flags needs at least the viewer role.");
        }

        if (project.Length == 0 || environment.Length == 0)
        {
            return FlagReader.Refuse(StatusCodes.Status400BadRequest,
                $"A user's API token reads flags with the headers {ProjectHeader} and {EnvironmentHeader} naming whose flags to read.");
        }

        var found = await environments.FindAsync(project, environment, cancellationToken).ConfigureAwait(false);
        return found.Refusal is { } refusal
            ? FlagReader.Refuse(found.Status, refusal)
            : new FlagReader(found.Project!.Id, found.Environment!, StatusCodes.Status200OK, null);
    }

    private void Reject(HttpContext context, string target, string reason) =>
        rejected.Record(
            "flag-key.refused",
            "flags:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
            target,
            reason,
            new Dictionary<string, string> { ["path"] = context.Request.Path.ToString() });
}
