using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Shipgate.Server.Api;
using Shipgate.Server.Auth;

namespace Shipgate.Server.Flags;

/// <summary>
/// One change to a flag through the API: finds the environment and checks the caller may change its flags, applies the
/// edit inside the store's transaction (checked, audited) after applying the file's flags (<see cref="FlagBaselines"/>), and
/// has the new flags served at once.
/// </summary>
internal sealed class FlagChanges(Hosting.ServerStore store, FlagEnvironments environments, FlagDocuments documents, FlagBaselines baselines)
{
    public async Task<IResult> ChangeAsync(
        string project, string environment, string key, ClaimsPrincipal principal, string action, FlagEditor.Change change, CancellationToken cancellationToken, int successStatus = StatusCodes.Status200OK)
    {
        var caller = Caller.From(principal)!;
        var found = await environments.FindForChangeAsync(project, environment, caller, cancellationToken).ConfigureAwait(false);
        if (found.Refusal is { } refusal)
        {
            return Problems.Result(found.Status, "Not permitted", refusal);
        }

        // The change applies to the flags as the protected branch's file now has them, so a file flag it touches is drift from that.
        await baselines.SyncAsync(found.Project!, found.Environment!, cancellationToken).ConfigureAwait(false);
        var audit = UserEndpoints.Audit(caller, action, $"project/{project}/environment/{found.Environment}/flag/{key}");
        var result = await store.Store.Flags.EditDocumentAsync(
            found.Project!.Id, found.Environment!, current => FlagEditor.Apply(current, key, audit, change), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return Problems.Result(result.Status, result.Status == StatusCodes.Status400BadRequest ? "Invalid flag" : "Not changed", result.Error!);
        }

        documents.Invalidate(found.Project.Id, found.Environment!);
        return result.FlagJson is null ? TypedResults.NoContent() : Results.Text(result.FlagJson, "application/json", statusCode: successStatus);
    }
}
