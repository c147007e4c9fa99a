using System.CommandLine;

namespace Shipgate.Cli.Commands;

/// <summary><c>shipgate override-freeze RUN --env ENV --reason TEXT</c>: an admin lets a run's deployment through a freeze window.</summary>
internal static class FreezeOverrideCommand
{
    public static Command Create()
    {
        var run = new Argument<long>("run") { Description = "The run waiting at the freeze (shipgate runs list)." };
        var environment = new Option<string>("--env") { Description = "The frozen environment.", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why, for the audit log.", Required = true };
        var command = new Command("override-freeze", "Let a run's deployment through an environment's freeze window (admin).") { run, environment, reason };
        command.SetAction((parse, cancellationToken) => ServerConnection.RunAsync(async client =>
        {
            await client.OverrideFreezeAsync(parse.GetValue(run), parse.GetValue(environment)!, parse.GetValue(reason)!, cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine($"shipgate: run {parse.GetValue(run)} may deploy to {parse.GetValue(environment)} through its freeze window.");
            return CliHost.Success;
        }));
        return command;
    }
}
