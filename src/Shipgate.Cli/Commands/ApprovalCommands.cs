using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Shipgate.Server.Api;

namespace Shipgate.Cli.Commands;

/// <summary>
/// <c>shipgate approvals list [--json]</c>, <c>shipgate approve ID [--comment TEXT]</c> and
/// <c>shipgate reject ID --comment TEXT</c>, as the token's user. A non-reviewer or self-review where
/// forbidden exits 3; a decided or expired approval exits 4.
/// </summary>
internal static class ApprovalCommands
{
    public static Command CreateList()
    {
        var command = new Command("approvals", "List approvals.");
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var status = new Option<string?>("--status") { Description = "Only approvals in this status." };
        status.AcceptOnlyFromAmong("pending", "approved", "rejected", "expired", "cancelled");
        var list = new Command("list", "List approvals, newest first.") { json, status };
        list.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var approvals = await client.ListApprovalsAsync(parse.GetValue(status), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(approvals, ApiJsonContext.Default.ApprovalResponseArray));
                return CliHost.Success;
            }

            TextTable.Write(Console.Out, ["ID", "RUN", "PROJECT", "ENVIRONMENT", "STATUS", "REVIEWERS", "DECISIONS", "REQUESTED"], approvals.Select(a => new[]
            {
                a.Id.ToString(CultureInfo.InvariantCulture),
                a.Run.ToString(CultureInfo.InvariantCulture),
                a.Project,
                a.Environment ?? "(step)",
                a.Status,
                string.Join(",", a.Reviewers),
                a.Decisions.Count == 0 ? "-" : string.Join(",", a.Decisions.Select(d => $"{d.User}:{d.Decision}")),
                a.RequestedAt.ToString("u", CultureInfo.InvariantCulture),
            }));
            return CliHost.Success;
        }));
        command.Subcommands.Add(list);
        return command;
    }

    public static Command CreateApprove() => CreateDecision("approve", "Approve an approval as the token's user.", approve: true);

    public static Command CreateReject() => CreateDecision("reject", "Reject an approval as the token's user (a comment is required).", approve: false);

    private static Command CreateDecision(string name, string description, bool approve)
    {
        var id = new Argument<long>("id") { Description = "The approval's id (shipgate approvals list)." };
        var comment = new Option<string?>("--comment") { Description = approve ? "Why, for the audit log." : "Why it is rejected.", Required = !approve };
        var command = new Command(name, description) { id, comment };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var decided = await client.DecideAsync(parse.GetValue(id), approve, parse.GetValue(comment), cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine($"shipgate: {decided.Message}");
            return CliHost.Success;
        }));
        return command;
    }
}
