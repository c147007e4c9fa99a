using Microsoft.AspNetCore.Http;
using Shipgate.Delivery.Configuration;
using Shipgate.Server.Api;
using Shipgate.Server.Auth;
using Shipgate.Server.Hosting;
using Shipgate.Server.Projects;
using Shipgate.Storage.Users;

namespace Shipgate.Server.Flags;

/// <summary>
/// Finds the environment a flag request is about, and decides who may change its flags (ADR 0026), as a release manager
/// at a bank would expect: an admin anywhere; an approver in the environments they may approve in; a developer only in
/// environments whose <c>shipgate.yml</c> on the protected branch has no approval rules; viewers and client keys never.
/// An environment has flags only when that <c>shipgate.yml</c> declares it.
/// </summary>
internal sealed class FlagEnvironments(ServerStore store, ProjectRepositories repositories)
{
    /// <summary>The environment for reading: a project's environment that has flags or is declared.</summary>
    public async Task<FlagEnvironment> FindAsync(string project, string environment, CancellationToken cancellationToken = default)
    {
        var found = await FindProjectAsync(project, environment, cancellationToken).ConfigureAwait(false);
        if (found.Refusal is not null)
        {
            return found;
        }

        // An environment with flags stored exists without reading git: the path OFREP's user tokens take.
        return await store.Store.Flags.GetRevisionAsync(found.Project!.Id, found.Environment!, cancellationToken).ConfigureAwait(false) > 0
            ? found
            : await DeclaredAsync(found, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The environment for changing its flags or keys: declared, and <paramref name="caller"/> permitted.</summary>
    public async Task<FlagEnvironment> FindForChangeAsync(string project, string environment, Caller caller, CancellationToken cancellationToken = default)
    {
        var found = await FindProjectAsync(project, environment, cancellationToken).ConfigureAwait(false);
        if (found.Refusal is not null || (found = await DeclaredAsync(found, cancellationToken).ConfigureAwait(false)).Refusal is not null)
        {
            return found;
        }

        return MayChange(caller, found.Definition!) is { } refusal ? FlagEnvironment.Refuse(StatusCodes.Status403Forbidden, refusal) : found;
    }

    /// <summary>Null when <paramref name="caller"/> may change the flags of <paramref name="environment"/>; otherwise why not.</summary>
    public static string? MayChange(Caller caller, EnvironmentDefinition environment) =>
        caller.Role == UserRole.Admin || (caller.Has(UserRole.Developer) && environment.Approval is null) || caller.CanApproveIn(environment.Name)
            ? null
            : caller.Role == UserRole.Developer
                ? $"The environment '{environment.Name}' has approval rules, so only its approvers and admins change its flags."
                : $"Changing the flags of '{environment.Name}' needs the developer role (where it has no approval rules), its approver's, or admin.";

    private async Task<FlagEnvironment> FindProjectAsync(string project, string environment, CancellationToken cancellationToken)
    {
        if (!Names.IsValid(environment))
        {
            return FlagEnvironment.Refuse(StatusCodes.Status422UnprocessableEntity, Names.Rule("environment"));
        }

        return await store.Store.Projects.GetByNameAsync(project, cancellationToken).ConfigureAwait(false) is { } found
            ? new FlagEnvironment(found, environment.ToLowerInvariant(), null, StatusCodes.Status200OK, null)
            : FlagEnvironment.Refuse(StatusCodes.Status404NotFound, $"There is no project '{project}'.");
    }

    private async Task<FlagEnvironment> DeclaredAsync(FlagEnvironment found, CancellationToken cancellationToken)
    {
        var project = found.Project!;
        var (_, config) = await repositories.LoadHeadConfigAsync(project, cancellationToken).ConfigureAwait(false);
        if (config.HasErrors)
        {
            return FlagEnvironment.Refuse(StatusCodes.Status422UnprocessableEntity,
                $"{ShipgateConfig.FileName} at the head of {project.DefaultBranch} is not valid: {config.Errors.First()}");
        }

        return config.Config!.FindEnvironment(found.Environment!) is { } definition
            ? found with { Definition = definition }
            : FlagEnvironment.Refuse(StatusCodes.Status404NotFound,
                $"There is no environment '{found.Environment}' in {ShipgateConfig.FileName} at the head of {project.DefaultBranch} of '{project.Name}'.");
    }
}
