using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Shipgate.Server.Api;

namespace Shipgate.Cli.Commands;

/// <summary><c>shipgate deployments PROJECT [--env E] [--json]</c>: a project's deployments and the rules each passed.</summary>
internal static class DeploymentsCommand
{
    public static Command Create()
    {
        var project = new Argument<string>("project") { Description = "The project." };
        var environment = new Option<string?>("--env") { Description = "Only deployments to this environment." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("deployments", "List a project's deployments, newest first: release, strategy and its steps, status, and the version of the protection rules each passed (--json adds digests, step messages and metrics).") { project, environment, json };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var deployments = await client.ListDeploymentsAsync(parse.GetValue(project)!, parse.GetValue(environment), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(deployments, ApiJsonContext.Default.DeploymentResponseArray));
                return CliHost.Success;
            }

            TextTable.Write(Console.Out, ["ID", "SERVICE", "ENVIRONMENT", "VERSION", "STRATEGY", "STATUS", "STEPS", "RUN", "RULES", "DECIDED BY"], deployments.Select(d => new[]
            {
                d.Id.ToString(CultureInfo.InvariantCulture),
                d.Service,
                d.Environment,
                d.Version,
                d.Strategy,
                d.Status + (d.Reason is { } reason && d.Status is "failed" or "rolled-back" ? $": {reason}" : ""),
                d.Steps.Count == 0 ? "-" : string.Join(" ", d.Steps.Select(s => s.Outcome == "failed" ? s.Name + "!" : s.Name)),
                d.Run?.ToString(CultureInfo.InvariantCulture) ?? "-",
                d.RulesCommit is null ? "-" : d.RulesCommit[..Math.Min(7, d.RulesCommit.Length)] + (d.RulesTightened is { } tightened ? $" tightened: {tightened}" : ""),
                d.DecidedBy ?? "-",
            }));
            return CliHost.Success;
        }));
        return command;
    }
}
