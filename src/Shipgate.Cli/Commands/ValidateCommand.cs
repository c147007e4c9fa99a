using System.CommandLine;

namespace Shipgate.Cli.Commands;

/// <summary><c>shipgate validate</c>.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var command = new Command("validate", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("shipgate: 'validate' is not built yet.");
            return CliHost.Failed;
        });
        return command;
    }
}
