using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shipgate.Server.Api;
using Shipgate.Server.Auth;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Projects;

namespace Shipgate.Server.Secrets;

/// <summary>
/// <c>/api/v1/projects/{name}/secrets</c> and <c>/variables</c>: per project, optionally per environment
/// (<c>?environment=</c>). Secrets are encrypted at rest by the store and never returned; setting either
/// is an admin's configuration change, audited without the value.
/// </summary>
internal static class SecretEndpoints
{
    private const int MaxValueLength = 64 * 1024;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/projects/{project}/secrets", ListSecretsAsync).RequireAuthorization(ApiPolicies.Developer).WithTags("Secrets").Produces<SecretResponse[]>();
        api.MapPut("/projects/{project}/secrets/{name}", SetSecretAsync).RequireAuthorization(ApiPolicies.Admin).WithTags("Secrets");
        api.MapDelete("/projects/{project}/secrets/{name}", DeleteSecretAsync).RequireAuthorization(ApiPolicies.Admin).WithTags("Secrets");
        api.MapGet("/projects/{project}/variables", ListVariablesAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Secrets").Produces<SecretResponse[]>();
        api.MapPut("/projects/{project}/variables/{name}", SetVariableAsync).RequireAuthorization(ApiPolicies.Admin).WithTags("Secrets");
        api.MapDelete("/projects/{project}/variables/{name}", DeleteVariableAsync).RequireAuthorization(ApiPolicies.Admin).WithTags("Secrets");
    }

    private static Task<IResult> ListSecretsAsync(string project, ServerStore store, CancellationToken cancellationToken) =>
        WithProjectAsync(store, project, async found =>
            TypedResults.Ok((await store.Store.Secrets.ListSecretsAsync(found.Id, cancellationToken).ConfigureAwait(false)).Select(s => new SecretResponse(s.Environment, s.Name, s.UpdatedAt)).ToArray()), cancellationToken);

    private static Task<IResult> ListVariablesAsync(string project, ServerStore store, CancellationToken cancellationToken) =>
        WithProjectAsync(store, project, async found =>
            TypedResults.Ok((await store.Store.Secrets.ListVariablesAsync(found.Id, cancellationToken).ConfigureAwait(false)).Select(s => new SecretResponse(s.Environment, s.Name, s.UpdatedAt)).ToArray()), cancellationToken);

    private static Task<IResult> SetSecretAsync(string project, string name, string? environment, SecretValueRequest request, ClaimsPrincipal principal, ServerStore store, CancellationToken cancellationToken) =>
        SetAsync(project, name, environment, request, principal, store, "secret", (found, audit) => store.Store.Secrets.SetSecretAsync(found.Id, environment, name, request.Value, audit, cancellationToken), cancellationToken);

    private static Task<IResult> SetVariableAsync(string project, string name, string? environment, SecretValueRequest request, ClaimsPrincipal principal, ServerStore store, CancellationToken cancellationToken) =>
        SetAsync(project, name, environment, request, principal, store, "variable", (found, audit) => store.Store.Secrets.SetVariableAsync(found.Id, environment, name, request.Value, audit, cancellationToken), cancellationToken);

    private static Task<IResult> DeleteSecretAsync(string project, string name, string? environment, ClaimsPrincipal principal, ServerStore store, CancellationToken cancellationToken) =>
        WithProjectAsync(store, project, async found =>
            await store.Store.Secrets.DeleteSecretAsync(found.Id, environment, name, Audit(principal, "secret.delete", project, environment, name), cancellationToken).ConfigureAwait(false)
                ? TypedResults.NoContent()
                : Problems.NotFound($"There is no secret '{name}'{Scope(environment)} in '{project}'."), cancellationToken);

    private static Task<IResult> DeleteVariableAsync(string project, string name, string? environment, ClaimsPrincipal principal, ServerStore store, CancellationToken cancellationToken) =>
        WithProjectAsync(store, project, async found =>
            await store.Store.Secrets.DeleteVariableAsync(found.Id, environment, name, Audit(principal, "variable.delete", project, environment, name), cancellationToken).ConfigureAwait(false)
                ? TypedResults.NoContent()
                : Problems.NotFound($"There is no variable '{name}'{Scope(environment)} in '{project}'."), cancellationToken);

    private static Task<IResult> SetAsync(
        string project,
        string name,
        string? environment,
        SecretValueRequest request,
        ClaimsPrincipal principal,
        ServerStore store,
        string kind,
        Func<ProjectRecord, Storage.Audit.NewAuditEntry, Task> set,
        CancellationToken cancellationToken)
    {
        if (!IsName(name))
        {
            return Task.FromResult(Problems.Invalid($"'{name}' is not a valid {kind} name: letters, digits and '_', not starting with a digit or GITHUB_."));
        }

        if (environment is not null && !Names.IsValid(environment))
        {
            return Task.FromResult(Problems.Invalid(Names.Rule("environment")));
        }

        if (request.Value is null || request.Value.Length > MaxValueLength)
        {
            return Task.FromResult(Problems.Invalid($"A {kind} value is at most {MaxValueLength} characters."));
        }

        return WithProjectAsync(store, project, async found =>
        {
            await set(found, Audit(principal, kind + ".set", project, environment, name)).ConfigureAwait(false);
            return TypedResults.NoContent();
        }, cancellationToken);
    }

    private static async Task<IResult> WithProjectAsync(ServerStore store, string project, Func<ProjectRecord, Task<IResult>> action, CancellationToken cancellationToken)
    {
        var found = await store.Store.Projects.GetByNameAsync(project, cancellationToken).ConfigureAwait(false);
        return found is null ? Problems.NotFound($"There is no project '{project}'.") : await action(found).ConfigureAwait(false);
    }

    private static Storage.Audit.NewAuditEntry Audit(ClaimsPrincipal principal, string action, string project, string? environment, string name) =>
        UserEndpoints.Audit(Caller.From(principal)!, action, $"project/{project}/{(environment is null ? "" : $"environment/{environment}/")}{name}");

    private static string Scope(string? environment) => environment is null ? "" : $" for environment '{environment}'";

    /// <summary>GitHub's rules for secret names: letters, digits and underscores, not starting with a digit or GITHUB_.</summary>
    private static bool IsName(string name) =>
        name.Length is > 0 and <= 128
        && !char.IsAsciiDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
        && !name.StartsWith("GITHUB_", StringComparison.OrdinalIgnoreCase);
}
