using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shipgate.Server.Api;
using Shipgate.Server.Auth;
using Shipgate.Server.Hosting;

namespace Shipgate.Server.Audit;

/// <summary><c>/api/v1/audit</c>: the hash-chained audit log, a page at a time, and its verification.</summary>
internal static class AuditEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/audit", ListAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Audit")
            .WithSummary("Audit entries in order, after the sequence ?after= (default 0), since ?since= (ISO 8601), at most ?limit= (default 1000).")
            .Produces<AuditEntryResponse[]>();
        api.MapGet("/audit/verify", VerifyAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Audit");
    }

    private static async Task<IResult> ListAsync(ServerStore store, long? after, DateTimeOffset? since, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 10_000)
        {
            return Problems.BadRequest("limit must be between 1 and 10000.");
        }

        var entries = await store.Store.Audit.ListAsync(after ?? 0, since, limit ?? 1000, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(entries.Select(e => new AuditEntryResponse(e.Sequence, e.At, e.Actor, e.Action, e.Target, e.Reason, e.BeforeJson, e.AfterJson, e.PreviousHash, e.Hash)).ToArray());
    }

    private static async Task<AuditVerificationResponse> VerifyAsync(ServerStore store, CancellationToken cancellationToken)
    {
        var verification = await store.Store.Audit.VerifyChainAsync(cancellationToken).ConfigureAwait(false);
        return new AuditVerificationResponse(verification.IsValid, verification.Entries, verification.FirstBadSequence, verification.Problem);
    }
}
