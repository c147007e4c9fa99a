using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shipgate.Server.Api;
using Shipgate.Server.Auth;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Audit;

namespace Shipgate.Server.Audit;

/// <summary><c>/api/v1/audit</c>: the keyed, hash-chained audit log, a page at a time, its newest checkpoint, and its verification.</summary>
internal static class AuditEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/audit", ListAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Audit")
            .WithSummary("Audit entries in order, after the sequence ?after= (default 0), since ?since= (ISO 8601), at most ?limit= (default 1000).")
            .Produces<AuditEntryResponse[]>();
        api.MapGet("/audit/checkpoint", CheckpointAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Audit")
            .WithSummary("The newest keyed checkpoint of the audit log (an export's trailer); 404 before the first entry.")
            .Produces<AuditCheckpointResponse>();
        api.MapGet("/audit/verify", VerifyStoredAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Audit")
            .WithSummary("Verifies the hash chain, each entry's MAC and the server's checkpoint file.");
        api.MapPost("/audit/verify", VerifyWithAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Audit")
            .WithSummary("Verifies as GET does, also against checkpoints kept elsewhere (a copied checkpoint file, an export's trailer).")
            .Produces<AuditVerificationResponse>();
    }

    private static async Task<IResult> ListAsync(ServerStore store, long? after, DateTimeOffset? since, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 10_000)
        {
            return Problems.BadRequest("limit must be between 1 and 10000.");
        }

        var entries = await store.Store.Audit.ListAsync(after ?? 0, since, limit ?? 1000, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(entries
            .Select(e => new AuditEntryResponse(e.Sequence, e.At, e.Actor, e.Action, e.Target, e.Reason, e.BeforeJson, e.AfterJson, e.PreviousHash, e.Hash, e.Mac))
            .ToArray());
    }

    private static async Task<IResult> CheckpointAsync(ServerStore store, CancellationToken cancellationToken)
    {
        var checkpoint = await store.Store.Audit.LatestCheckpointAsync(cancellationToken).ConfigureAwait(false);
        return checkpoint is null
            ? Problems.NotFound("The audit log has no checkpoint yet: nothing was audited.")
            : TypedResults.Ok(new AuditCheckpointResponse(checkpoint.Sequence, checkpoint.Hash, checkpoint.At, checkpoint.ToString()));
    }

    private static Task<AuditVerificationResponse> VerifyStoredAsync(ServerStore store, CancellationToken cancellationToken) =>
        VerifyAsync(store, null, cancellationToken);

    private static async Task<IResult> VerifyWithAsync(ServerStore store, AuditVerifyRequest request, CancellationToken cancellationToken)
    {
        if (request.Checkpoints is null || request.Checkpoints.Length > AuditVerifyRequest.MaxCheckpoints)
        {
            return Problems.Invalid($"checkpoints must be a list of at most {AuditVerifyRequest.MaxCheckpoints} lines.");
        }

        var checkpoints = new List<AuditCheckpoint>(request.Checkpoints.Length);
        for (var i = 0; i < request.Checkpoints.Length; i++)
        {
            if (AuditCheckpoint.Parse(request.Checkpoints[i] ?? "") is not { } checkpoint)
            {
                return Problems.Invalid($"Checkpoint {i + 1} is not an audit checkpoint line (SEQUENCE HASH MAC TIME).");
            }

            checkpoints.Add(checkpoint);
        }

        return TypedResults.Ok(await VerifyAsync(store, checkpoints, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<AuditVerificationResponse> VerifyAsync(
        ServerStore store, IReadOnlyList<AuditCheckpoint>? checkpoints, CancellationToken cancellationToken)
    {
        var verification = await store.Store.Audit.VerifyChainAsync(checkpoints, cancellationToken).ConfigureAwait(false);
        return new AuditVerificationResponse(
            verification.IsValid, verification.Entries, verification.FirstBadSequence, verification.Problem, verification.Limits);
    }
}
