using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Shipgate.Server.Api;

namespace Shipgate.Cli.Commands;

/// <summary><c>shipgate runs list|show</c>: the runs of a Shipgate server.</summary>
internal static class RunsCommand
{
    public static Command Create()
    {
        var command = new Command("runs", "List runs and show one.");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateShow());
        return command;
    }

    private static Command CreateList()
    {
        var project = new Option<string?>("--project") { Description = "Only this project's runs." };
        var limit = new Option<int>("--limit") { Description = "At most this many (newest first).", DefaultValueFactory = _ => 30 };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("list", "List runs, newest first.") { project, limit, json };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var runs = await client.ListRunsAsync(parse.GetValue(project), parse.GetValue(limit), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(runs, ApiJsonContext.Default.RunResponseArray));
            }
            else
            {
                TextTable.Write(Console.Out, ["ID", "PROJECT", "WORKFLOW", "SHA", "EVENT", "STATUS", "CONCLUSION"], runs.Select(r => new[]
                {
                    r.Id.ToString(CultureInfo.InvariantCulture), r.Project, r.Workflow, r.Sha[..Math.Min(7, r.Sha.Length)], r.Event, r.Status, r.Conclusion ?? "-",
                }));
            }

            return CliHost.Success;
        }));
        return command;
    }

    private static Command CreateShow()
    {
        var id = new Argument<long>("id") { Description = "The run's id." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("show", "Show a run with its jobs and steps.") { id, json };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var detail = await client.GetRunAsync(parse.GetValue(id), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(detail, ApiJsonContext.Default.RunDetailResponse));
                return CliHost.Success;
            }

            var run = detail.Run;
            Console.Out.WriteLine($"run {run.Id}: {run.Project} {run.Workflow} #{run.Number} ({run.WorkflowPath})");
            Console.Out.WriteLine($"  {run.Event} on {run.Ref} at {run.Sha}, by {run.Actor}");
            Console.Out.WriteLine($"  {run.Status}{(run.Conclusion is null ? "" : ": " + run.Conclusion)}{(run.Reason is null ? "" : " — " + run.Reason)}");
            foreach (var job in detail.Jobs)
            {
                Console.Out.WriteLine($"  job {job.Key} ({job.Name}): {job.Conclusion ?? job.Status}{(job.Environment is null ? "" : $" [environment {job.Environment}]")}{(job.Reason is null ? "" : " — " + job.Reason)}");
                foreach (var step in job.Steps)
                {
                    Console.Out.WriteLine($"    {step.Number}. {step.Name}: {step.Conclusion ?? step.Status}{(step.Reason is null ? "" : " — " + step.Reason)}");
                }
            }

            return run.Status == "completed" && run.Conclusion is not "success" ? CliHost.Failed : CliHost.Success;
        }));
        return command;
    }
}
