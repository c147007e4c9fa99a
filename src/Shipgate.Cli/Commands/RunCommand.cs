using System.CommandLine;

namespace Shipgate.Cli.Commands;

/// <summary><c>shipgate run</c>.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("shipgate: 'run' is not built yet.");
            return CliHost.Failed;
        });
        return command;
    }
}
