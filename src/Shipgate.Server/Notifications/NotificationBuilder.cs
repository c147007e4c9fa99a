using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Approvals;
using Shipgate.Storage.Projects;
using Shipgate.Storage.Runs;

namespace Shipgate.Server.Notifications;

/// <summary>Turns a run event into the notification webhooks receive (<see cref="NotificationPayload"/>), or null when the event notifies nobody.</summary>
internal sealed class NotificationBuilder(ServerStore store, IServer server)
{
    public async Task<NotificationPayload?> BuildAsync(RunRecord run, ProjectRecord project, RunEventRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(record);
        var fields = Fields(record.PayloadJson);
        var name = NotificationEvents.For(record.Kind, fields.GetValueOrDefault("conclusion"));
        if (name is null || (record.Kind == "environment.waiting" && fields.ContainsKey("approvalId")))
        {
            // A gate waiting for an approval was announced by the approval's own approval.requested.
            return null;
        }

        var environment = fields.GetValueOrDefault("environment");
        ApprovalRecord? approval = null;
        if (fields.GetValueOrDefault("approvalId") is { } approvalText && long.TryParse(approvalText, NumberStyles.None, CultureInfo.InvariantCulture, out var approvalId))
        {
            approval = await store.Store.Approvals.GetAsync(approvalId, cancellationToken).ConfigureAwait(false);
        }
        else if (name == NotificationEvents.Waiting && environment is not null)
        {
            var approvals = await store.Store.Approvals.ListAsync(new ApprovalQuery { RunId = run.Id }, cancellationToken).ConfigureAwait(false);
            approval = approvals.Where(a => a.Kind == ApprovalKind.Environment && a.Environment == environment && a.RunAttempt == run.Attempt).MaxBy(a => a.Id);
        }

        if (approval is { Status: ApprovalStatus.Cancelled })
        {
            // An approval that ended with its run asks nobody for anything and was decided by nobody.
            return null;
        }

        return new NotificationPayload(
            name,
            project.Name,
            new NotificationRun(run.Id, run.Number, run.WorkflowName, run.Sha, run.Ref, RunUrl(run.Id)),
            environment ?? approval?.Environment,
            approval is null ? null : await DescribeAsync(approval, cancellationToken).ConfigureAwait(false),
            fields.GetValueOrDefault("reason"),
            record.At);
    }

    private async Task<NotificationApproval> DescribeAsync(ApprovalRecord approval, CancellationToken cancellationToken)
    {
        var decisions = await store.Store.Approvals.ListDecisionsAsync(approval.Id, cancellationToken).ConfigureAwait(false);
        return new NotificationApproval(
            approval.Id,
            approval.Status.ToString().ToLowerInvariant(),
            approval.Reviewers,
            approval.Required,
            [.. decisions.Select(d => new NotificationDecision(d.User, d.Decision == ApprovalDecision.Approved ? "approved" : "rejected", d.Comment, d.At))]);
    }

    /// <summary>The run in the server's API, at the address the server listens on (a wildcard address reads as localhost).</summary>
    private string RunUrl(long runId)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5080";
        address = address.Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal)
            .Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal);
        return string.Create(CultureInfo.InvariantCulture, $"{address.TrimEnd('/')}/api/v1/runs/{runId}");
    }

    /// <summary>The string fields of an event's payload (the server's and the engine's events are flat objects).</summary>
    private static Dictionary<string, string> Fields(string json)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                    {
                        fields[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                    }
                }
            }
        }
        catch (JsonException)
        {
        }

        return fields;
    }
}
