using System.CommandLine;
using System.Text.Json;
using Shipgate.Server.Api;

namespace Shipgate.Cli.Commands;

/// <summary>
/// <c>shipgate rollback SERVICE --env ENV [--project P] [--to VERSION] [--reason TEXT] [--json]</c>: puts an earlier
/// release back (default the one before the release serving), instantly while it is warm on the edge. Approvers only;
/// audited. Exit 0, 1 when the rollback failed, 3 not permitted, 4 nothing to roll back to or a conflict.
/// </summary>
internal static class RollbackCommand
{
    public static Command Create()
    {
        var service = new Argument<string>("service") { Description = "The service to roll back." };
        var environment = new Option<string>("--env") { Description = "The environment.", Required = true };
        var project = new Option<string?>("--project") { Description = "The project (needed when several deploy the service)." };
        var to = new Option<string?>("--to") { Description = "The version to put back (default: the one before the release serving)." };
        var reason = new Option<string?>("--reason") { Description = "Why, for the audit log." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("rollback", "Put an earlier release of a service back.") { service, environment, project, to, reason, json };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var deployment = await client.RollbackAsync(
                new RollbackRequest(parse.GetValue(project), parse.GetValue(service), parse.GetValue(environment), parse.GetValue(to), parse.GetValue(reason)),
                cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(deployment, ApiJsonContext.Default.DeploymentResponse));
            }
            else
            {
                Console.Out.WriteLine($"{deployment.Service} {deployment.Version} serves in {deployment.Environment} again (deployment {deployment.Id}; {deployment.PreviousVersion ?? "nothing"} kept warm at 0%).");
            }

            return CliHost.Success;
        }));
        return command;
    }
}
