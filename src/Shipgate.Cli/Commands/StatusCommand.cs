using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Shipgate.Server.Api;

namespace Shipgate.Cli.Commands;

/// <summary><c>shipgate status [--json]</c>: each environment's current release per service.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("status", "Show each environment's current release per service.") { json };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            var status = await client.GetStatusAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(status, ApiJsonContext.Default.EnvironmentStatusResponseArray));
            }
            else if (status.Length == 0)
            {
                Console.Out.WriteLine("No release has been deployed yet.");
            }
            else
            {
                TextTable.Write(Console.Out, ["PROJECT", "ENVIRONMENT", "SERVICE", "VERSION", "COMMIT", "ARTIFACT", "DEPLOYED"], status.Select(s => new[]
                {
                    s.Project,
                    s.Environment,
                    s.Service,
                    s.Version,
                    s.Commit[..Math.Min(7, s.Commit.Length)],
                    s.ArtifactDigest.StartsWith("sha256:", StringComparison.Ordinal) ? s.ArtifactDigest[..Math.Min(19, s.ArtifactDigest.Length)] : "-",
                    s.DeployedAt.ToString("u", CultureInfo.InvariantCulture),
                }));
            }

            return CliHost.Success;
        }));
        return command;
    }
}
