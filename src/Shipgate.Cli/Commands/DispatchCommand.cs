using System.CommandLine;
using Shipgate.Cli.Run;
using Shipgate.Server.Api;

namespace Shipgate.Cli.Commands;

/// <summary><c>shipgate dispatch PROJECT WORKFLOW [--ref REF] [--input k=v]...</c>: queues a workflow_dispatch run; prints its id.</summary>
internal static class DispatchCommand
{
    public static Command Create()
    {
        var project = new Argument<string>("project") { Description = "The project." };
        var workflow = new Argument<string>("workflow") { Description = "The workflow's file name (deploy.yml) or path." };
        var gitRef = new Option<string?>("--ref") { Description = "The branch, tag, full ref or full commit SHA (of the project's branch); no revision syntax such as main~2. Default: the project's branch." };
        var inputs = new Option<string[]>("--input") { Description = "A workflow_dispatch input, NAME=VALUE (repeatable)." };
        var command = new Command("dispatch", "Run a workflow that has a workflow_dispatch trigger; prints the run's id.") { project, workflow, gitRef, inputs };
        command.SetAction((parse, cancellationToken) =>
        {
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in KeyValueArguments.Parse(parse.GetValue(inputs) ?? [], "--input"))
            {
                values[name] = value;
            }

            return ServerConnection.RunAsync(async client =>
            {
                var run = (await client.DispatchAsync(parse.GetValue(project)!, new DispatchRequest(parse.GetValue(workflow)!, parse.GetValue(gitRef), values), cancellationToken).ConfigureAwait(false)).Run;
                Console.Error.WriteLine($"shipgate: queued run {run.Id} of {run.WorkflowPath} at {run.Ref} ({run.Sha[..7]}); follow it with 'shipgate logs {run.Id} --follow'.");
                Console.Out.WriteLine(run.Id);
                return CliHost.Success;
            });
        });
        return command;
    }
}
