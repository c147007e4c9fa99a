using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shipgate.Flags;
using Shipgate.Flags.Document;
using Shipgate.Server.Api;
using Shipgate.Server.Auth;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Flags;

namespace Shipgate.Server.Flags;

/// <summary>
/// <c>/api/v1/projects/{project}/environments/{environment}/flags</c>: an environment's feature flags in the format of
/// <c>Shipgate.Flags</c> (docs/flags.md): list (the whole document), get, create, replace, enable, disable, set the rollout
/// percentage, delete; and <c>…/flag-keys</c>, the environment's client keys. Every change is checked by the library's
/// compiler before it is stored, audited with the flag before and after, and served at once; who may change what is
/// <see cref="FlagEnvironments.MayChange"/>.
/// </summary>
internal static class FlagEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var flags = api.MapGroup("/projects/{project}/environments/{environment}/flags").WithTags("Flags");
        flags.MapGet("", ListAsync).RequireAuthorization(ApiPolicies.Viewer).Produces<FlagDocument>();
        flags.MapGet("/{key}", GetAsync).RequireAuthorization(ApiPolicies.Viewer).Produces<FlagDefinition>();
        flags.MapPost("", CreateAsync).RequireAuthorization(ApiPolicies.Developer).Accepts<FlagDefinition>("application/json").Produces<FlagDefinition>(StatusCodes.Status201Created);
        flags.MapPut("/{key}", ReplaceAsync).RequireAuthorization(ApiPolicies.Developer).Accepts<FlagDefinition>("application/json").Produces<FlagDefinition>();
        flags.MapPost("/{key}/enable", (string project, string environment, string key, ClaimsPrincipal principal, FlagChanges changes, CancellationToken cancellationToken) =>
            changes.ChangeAsync(project, environment, key, principal, "flag.enable", FlagEditor.SetEnabled(key, true), cancellationToken))
            .RequireAuthorization(ApiPolicies.Developer).Produces<FlagDefinition>();
        flags.MapPost("/{key}/disable", (string project, string environment, string key, ClaimsPrincipal principal, FlagChanges changes, CancellationToken cancellationToken) =>
            changes.ChangeAsync(project, environment, key, principal, "flag.disable", FlagEditor.SetEnabled(key, false), cancellationToken))
            .RequireAuthorization(ApiPolicies.Developer).Produces<FlagDefinition>();
        flags.MapPut("/{key}/rollout", (string project, string environment, string key, FlagRolloutRequest request, ClaimsPrincipal principal, FlagChanges changes, CancellationToken cancellationToken) =>
            request.Percentage is not { } percentage
                ? Task.FromResult(Problems.BadRequest("The request needs a percentage between 0 and 100."))
                : changes.ChangeAsync(project, environment, key, principal, "flag.rollout", FlagEditor.SetRollout(key, percentage), cancellationToken))
            .RequireAuthorization(ApiPolicies.Developer).Produces<FlagDefinition>();
        flags.MapPost("/{key}/reset", ResetAsync).RequireAuthorization(ApiPolicies.Developer).Produces<FlagDefinition>();
        api.MapGet("/projects/{project}/environments/{environment}/flag-drift", DriftAsync).WithTags("Flags")
            .RequireAuthorization(ApiPolicies.Viewer).Produces<FlagDriftResponse[]>();
        flags.MapDelete("/{key}", (string project, string environment, string key, ClaimsPrincipal principal, FlagChanges changes, CancellationToken cancellationToken) =>
            changes.ChangeAsync(project, environment, key, principal, "flag.delete", FlagEditor.Delete(key), cancellationToken))
            .RequireAuthorization(ApiPolicies.Developer);

        var keys = api.MapGroup("/projects/{project}/environments/{environment}/flag-keys").WithTags("Flags");
        keys.MapGet("", ListKeysAsync).RequireAuthorization(ApiPolicies.Viewer).Produces<FlagKeyResponse[]>();
        keys.MapPost("", CreateKeyAsync).RequireAuthorization(ApiPolicies.Developer).Produces<FlagKeyResponse>(StatusCodes.Status201Created);
        keys.MapDelete("/{id:long}", RevokeKeyAsync).RequireAuthorization(ApiPolicies.Developer);
    }

    private static async Task<IResult> ListAsync(
        string project, string environment, FlagEnvironments environments, FlagBaselines baselines, ServerStore store, CancellationToken cancellationToken)
    {
        var found = await environments.FindAsync(project, environment, cancellationToken).ConfigureAwait(false);
        if (found.Refusal is { } refusal)
        {
            return Problems.Result(found.Status, "Not available", refusal);
        }

        await baselines.SyncAsync(found.Project!, found.Environment!, cancellationToken).ConfigureAwait(false);

        var record = await store.Store.Flags.GetDocumentAsync(found.Project!.Id, found.Environment!, cancellationToken).ConfigureAwait(false);
        return Results.Json(FlagEditor.Read(record?.Document), FlagJsonContext.Default.FlagDocument);
    }

    private static async Task<IResult> GetAsync(
        string project, string environment, string key, FlagEnvironments environments, FlagBaselines baselines, ServerStore store, CancellationToken cancellationToken)
    {
        var found = await environments.FindAsync(project, environment, cancellationToken).ConfigureAwait(false);
        if (found.Refusal is { } refusal)
        {
            return Problems.Result(found.Status, "Not available", refusal);
        }

        await baselines.SyncAsync(found.Project!, found.Environment!, cancellationToken).ConfigureAwait(false);

        var record = await store.Store.Flags.GetDocumentAsync(found.Project!.Id, found.Environment!, cancellationToken).ConfigureAwait(false);
        return FlagEditor.Read(record?.Document).Flags?.Find(f => f.Key == key) is { } flag
            ? Results.Json(flag, FlagJsonContext.Default.FlagDefinition)
            : Problems.NotFound($"There is no flag '{key}' in {found.Environment} of '{project}'.");
    }

    private static async Task<IResult> CreateAsync(string project, string environment, HttpRequest request, ClaimsPrincipal principal, FlagChanges changes, CancellationToken cancellationToken)
    {
        var (flag, error) = await ReadFlagAsync(request, null, cancellationToken).ConfigureAwait(false);
        if (flag is null)
        {
            return Problems.BadRequest(error!);
        }

        return await changes.ChangeAsync(
            project, environment, flag.Key!, principal, "flag.create", FlagEditor.Create(flag), cancellationToken, StatusCodes.Status201Created).ConfigureAwait(false);
    }

    private static async Task<IResult> ReplaceAsync(
        string project, string environment, string key, HttpRequest request, ClaimsPrincipal principal, FlagChanges changes, CancellationToken cancellationToken)
    {
        var (flag, error) = await ReadFlagAsync(request, key, cancellationToken).ConfigureAwait(false);
        return flag is null
            ? Problems.BadRequest(error!)
            : await changes.ChangeAsync(project, environment, key, principal, "flag.replace", FlagEditor.Replace(flag), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Each flag of <c>shipgate.yml</c> for the environment, after applying the file, and how it drifted from it.</summary>
    private static async Task<IResult> DriftAsync(
        string project, string environment, FlagEnvironments environments, FlagBaselines baselines, ServerStore store, CancellationToken cancellationToken)
    {
        var found = await environments.FindAsync(project, environment, cancellationToken).ConfigureAwait(false);
        if (found.Refusal is { } refusal)
        {
            return Problems.Result(found.Status, "Not available", refusal);
        }

        var file = await baselines.SyncAsync(found.Project!, found.Environment!, cancellationToken).ConfigureAwait(false) ?? [];
        var record = await store.Store.Flags.GetDocumentAsync(found.Project!.Id, found.Environment!, cancellationToken).ConfigureAwait(false);
        var stored = FlagEditor.Read(record?.Document).Flags ?? [];
        return TypedResults.Ok(file.Select(f => FlagBaselines.Differences(stored.Find(s => s.Key == f.Key), f))
            .Zip(file, (differences, f) => new FlagDriftResponse(f.Key!, differences.Count > 0, [.. differences])).ToArray());
    }

    /// <summary>Puts the file's definition of a flag back, audited as <c>flag.reset</c>; 404 when the file has no such flag.</summary>
    private static async Task<IResult> ResetAsync(
        string project, string environment, string key, ClaimsPrincipal principal, FlagEnvironments environments, FlagBaselines baselines, FlagChanges changes,
        CancellationToken cancellationToken)
    {
        var found = await environments.FindForChangeAsync(project, environment, Caller.From(principal)!, cancellationToken).ConfigureAwait(false);
        if (found.Refusal is { } refusal)
        {
            return Problems.Result(found.Status, "Not permitted", refusal);
        }

        var file = await baselines.SyncAsync(found.Project!, found.Environment!, cancellationToken).ConfigureAwait(false);
        return file?.FirstOrDefault(f => f.Key == key) is { } definition
            ? await changes.ChangeAsync(project, environment, key, principal, "flag.reset", FlagEditor.Reset(definition), cancellationToken).ConfigureAwait(false)
            : Problems.NotFound($"The flag '{key}' is not in {Delivery.Configuration.ShipgateConfig.FileName} for {found.Environment} at the head of "
                + $"{found.Project!.DefaultBranch}, so there is nothing to reset it to.");
    }

    private static async Task<IResult> ListKeysAsync(string project, string environment, FlagEnvironments environments, ServerStore store, CancellationToken cancellationToken)
    {
        var found = await environments.FindAsync(project, environment, cancellationToken).ConfigureAwait(false);
        if (found.Refusal is { } refusal)
        {
            return Problems.Result(found.Status, "Not available", refusal);
        }

        var keys = await store.Store.Flags.ListKeysAsync(found.Project!.Id, found.Environment!, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(keys.Select(k => ToResponse(k, project)).ToArray());
    }

    private static async Task<IResult> CreateKeyAsync(
        string project, string environment, FlagKeyCreateRequest request, ClaimsPrincipal principal, FlagEnvironments environments, ServerStore store, CancellationToken cancellationToken)
    {
        var name = string.IsNullOrWhiteSpace(request.Name) ? "client" : request.Name.Trim();
        if (!Names.IsValid(name))
        {
            return Problems.BadRequest(Names.Rule("client key"));
        }

        var caller = Caller.From(principal)!;
        var found = await environments.FindForChangeAsync(project, environment, caller, cancellationToken).ConfigureAwait(false);
        if (found.Refusal is { } refusal)
        {
            return Problems.Result(found.Status, "Not permitted", refusal);
        }

        var audit = UserEndpoints.Audit(caller, "flag-key.create", $"project/{project}/environment/{found.Environment}/flag-key/{name}");
        var created = await store.Store.Flags.CreateKeyAsync(found.Project!.Id, found.Environment!, name, caller.Name, audit, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(ToResponse(created.Record, project) with { Key = created.Key }, ApiJsonContext.Default.FlagKeyResponse, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> RevokeKeyAsync(
        string project, string environment, long id, ClaimsPrincipal principal, FlagEnvironments environments, ServerStore store, FlagClientKeys keys, CancellationToken cancellationToken)
    {
        var caller = Caller.From(principal)!;
        var found = await environments.FindForChangeAsync(project, environment, caller, cancellationToken).ConfigureAwait(false);
        if (found.Refusal is { } refusal)
        {
            return Problems.Result(found.Status, "Not permitted", refusal);
        }

        var audit = UserEndpoints.Audit(caller, "flag-key.revoke", $"project/{project}/environment/{found.Environment}/flag-key/{id}");
        if (!await store.Store.Flags.RevokeKeyAsync(found.Project!.Id, found.Environment!, id, audit, cancellationToken).ConfigureAwait(false))
        {
            return Problems.NotFound($"The environment '{found.Environment}' of '{project}' has no client key {id} that is not revoked.");
        }

        keys.Forget(id);
        return TypedResults.NoContent();
    }

    private static FlagKeyResponse ToResponse(FlagClientKeyRecord key, string project) =>
        new(key.Id, project, key.Environment, key.Name, key.Prefix, key.CreatedBy, key.CreatedAt, key.RevokedAt);

    /// <summary>The flag in the request's body, its key defaulting to <paramref name="key"/> (which it must equal); or why it cannot be read.</summary>
    private static async Task<(FlagDefinition? Flag, string? Error)> ReadFlagAsync(HttpRequest request, string? key, CancellationToken cancellationToken)
    {
        FlagDefinition? flag;
        try
        {
            flag = await JsonSerializer.DeserializeAsync(request.Body, FlagJsonContext.Default.FlagDefinition, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return (null, $"The flag is not valid: {FlagConfiguration.DescribeJsonError(ex)}");
        }

        if (flag is null)
        {
            return (null, "The request's body must be a flag: a JSON object like {\"key\":\"new-checkout\",\"type\":\"boolean\",...}.");
        }

        flag.Key ??= key;
        if (flag.Key is null)
        {
            return (null, "The flag needs a key.");
        }

        return key is not null && flag.Key != key
            ? (null, $"The flag's key '{flag.Key}' is not the key '{key}' of the address; a flag cannot be renamed.")
            : (flag, null);
    }
}
