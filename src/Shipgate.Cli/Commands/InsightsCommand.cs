using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Shipgate.Server.Api;

namespace Shipgate.Cli.Commands;

/// <summary>
/// <c>shipgate insights [--project P] [--env E] [--since 30d | --from DATE --to DATE] [--json]</c>: DORA's measures and the
/// approval waits from the server's history, as tables with units ("-" where there is no data), or the API's JSON.
/// </summary>
internal static class InsightsCommand
{
    public static Command Create()
    {
        var project = new Option<string?>("--project") { Description = "Only this project (default: every project)." };
        var environment = new Option<string?>("--env") { Description = "Only this environment (default: every environment)." };
        var since = new Option<string?>("--since") { Description = "The period up to now: 7d, 30d, 12w... (default 30d)." };
        var from = new Option<string?>("--from") { Description = "The period's start, an ISO 8601 date or time (instead of --since)." };
        var to = new Option<string?>("--to") { Description = "The period's end, an ISO 8601 date (that day included) or time; default now." };
        var json = new Option<bool>("--json") { Description = "Print the API's JSON." };
        var command = new Command(
            "insights",
            "Show delivery insights: deployment frequency, lead time for changes, change fail rate, failed deployment recovery time, "
            + "rework rate and approval waits.")
        {
            project, environment, since, from, to, json,
        };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var insights = await client.GetInsightsAsync(
                parse.GetValue(project), parse.GetValue(environment), parse.GetValue(since), parse.GetValue(from), parse.GetValue(to), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(insights, ApiJsonContext.Default.InsightsResponse));
            }
            else
            {
                Write(Console.Out, insights);
            }

            return CliHost.Success;
        }));
        return command;
    }

    internal static void Write(TextWriter output, InsightsResponse insights)
    {
        var days = (insights.To - insights.From).TotalDays;
        output.WriteLine($"Delivery insights from {Time(insights.From)} to {Time(insights.To)} ({Number(days)} days), "
            + (insights.Project is null ? "every project, " : $"project {insights.Project}, ")
            + (insights.Environment is null ? "every environment" : $"environment {insights.Environment}"));
        output.WriteLine();
        TextTable.Write(output, ["PROJECT", "ENVIRONMENT", "DEPLOYMENTS", "FREQUENCY", "LEAD TIME median/p90", "CHANGE FAIL", "RECOVERY median/p90", "REWORK"],
            [.. insights.Environments.Append(insights.Overall).Select(m => new[]
            {
                m.Project ?? "all",
                m.Environment ?? "all",
                $"{m.Deployments} ({m.Succeeded} ok, {m.Failed} failed, {m.RolledBack} rolled back)",
                m.DeploymentFrequency is { } f ? $"{Number(f.PerDay)}/day, {Number(f.PerWeek)}/week" : "-",
                Stats(m.LeadTime),
                Rate(m.ChangeFailRate),
                Stats(m.RecoveryTime),
                Rate(m.ReworkRate),
            })]);
        var overall = insights.Overall;
        if (overall.LeadTimeUnknown > 0)
        {
            output.WriteLine($"Lead time leaves out {overall.LeadTimeUnknown} deployment(s) whose release was recorded without its commit time "
                + "(before Shipgate recorded it).");
        }

        if (overall.Unrecovered > 0)
        {
            output.WriteLine($"{overall.Unrecovered} change failure(s) in the period have no succeeded deployment after them yet.");
        }

        var approvals = insights.Approvals;
        output.WriteLine();
        TextTable.Write(output, ["APPROVALS: PROJECT", "ENVIRONMENT", "DECIDED", "WAIT median/p90", "EXPIRED", "WAITING NOW", "WAITING SINCE"],
            [.. approvals.Environments.Append(approvals.Overall).Select(a => new[]
            {
                a.Project ?? "all",
                a.Project is null ? "all" : a.Environment ?? "(manual approval)",
                a.Decided.ToString(CultureInfo.InvariantCulture),
                Stats(a.Wait),
                a.Expired.ToString(CultureInfo.InvariantCulture),
                a.WaitingNow.ToString(CultureInfo.InvariantCulture),
                a.OldestWaitingSince is { } since ? Time(since) : "-",
            })]);
        if (approvals.Reviewers.Count > 0)
        {
            output.WriteLine();
            TextTable.Write(output, ["REVIEWER", "APPROVED", "REJECTED", "WAIT median/p90"], [.. approvals.Reviewers.Select(r => new[]
            {
                r.Reviewer,
                r.Approved.ToString(CultureInfo.InvariantCulture),
                r.Rejected.ToString(CultureInfo.InvariantCulture),
                Stats(r.Wait),
            })]);
        }
    }

    private static string Stats(DurationStatsResponse? stats) =>
        stats is null ? "-" : $"{Duration(stats.MedianSeconds)} / {Duration(stats.P90Seconds)} ({stats.Count})";

    private static string Rate(RateResponse? rate) =>
        rate is null ? "-" : $"{Number(rate.Rate * 100)}% ({rate.Count}/{rate.Of})";

    /// <summary>A duration in its two largest units: <c>1d 4h</c>, <c>2h 15m</c>, <c>12m 30s</c>, <c>45s</c>.</summary>
    internal static string Duration(double seconds)
    {
        var whole = (long)Math.Round(seconds);
        var parts = new List<string>();
        foreach (var (size, unit) in new[] { (86_400L, "d"), (3_600L, "h"), (60L, "m"), (1L, "s") })
        {
            if (whole >= size || (unit == "s" && parts.Count == 0))
            {
                parts.Add($"{whole / size}{unit}");
                whole %= size;
            }
            else if (parts.Count > 0)
            {
                // A zero unit between two others still counts as one of the two shown (1d 0h, not 1d 12m).
                parts.Add("");
            }

            if (parts.Count == 2)
            {
                break;
            }
        }

        return string.Join(' ', parts.Where(p => p.Length > 0));
    }

    private static string Number(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);
}
