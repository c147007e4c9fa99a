using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Shipgate.Server.Api;

namespace Shipgate.Cli.Commands;

/// <summary><c>shipgate environments PROJECT [--json]</c>: a project's environments, their gates, secret names, releases and deployments.</summary>
internal static class EnvironmentsCommand
{
    public static Command Create()
    {
        var project = new Argument<string>("project") { Description = "The project (shipgate project list)." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("environments", "Show a project's environments: gates, secret and variable names, releases, deployments.") { project, json };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var environments = await client.GetEnvironmentsAsync(parse.GetValue(project)!, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(environments, ApiJsonContext.Default.ProjectEnvironmentsResponse));
            }
            else if (environments.Environments.Length == 0)
            {
                Console.Out.WriteLine($"{environments.Project} has no environments: shipgate.yml at {environments.Branch} declares none and nothing was deployed.");
            }
            else
            {
                TextTable.Write(
                    Console.Out,
                    ["ENVIRONMENT", "MODE", "APPROVAL", "FREEZE", "SECRETS", "VARIABLES", "RELEASES", "DEPLOYING", "QUEUED"],
                    environments.Environments.Select(e => new[]
                    {
                        e.Name,
                        e.Mode ?? "(not declared)",
                        e.Approval is { } approval ? $"{approval.Required} of {string.Join(',', approval.Reviewers)}" : "-",
                        Freeze(e),
                        List(e.Secrets),
                        List(e.Variables),
                        List(e.Releases.Select(r => $"{r.Service}@{r.Version}")),
                        List(e.Active.Select(d => $"{d.Service}@{d.Version}" + (d.DecidedBy is { } decided ? $" ({decided})" : ""))),
                        e.Queued.ToString(CultureInfo.InvariantCulture),
                    }));
            }

            return CliHost.Success;
        }));
        return command;
    }

    private static string Freeze(EnvironmentResponse environment) =>
        environment.FrozenUntil is { } until ? "until " + until.ToString("u", CultureInfo.InvariantCulture)
        : environment.Freeze.Length > 0 ? $"{environment.Freeze.Length} window(s), none active"
        : "-";

    private static string List(IEnumerable<string> items) => string.Join(',', items) is { Length: > 0 } text ? text : "-";
}
