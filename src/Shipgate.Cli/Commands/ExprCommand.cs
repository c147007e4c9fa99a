using System.CommandLine;

namespace Shipgate.Cli.Commands;

/// <summary><c>shipgate expr</c>.</summary>
internal static class ExprCommand
{
    public static Command Create()
    {
        var command = new Command("expr", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("shipgate: 'expr' is not built yet.");
            return CliHost.Failed;
        });
        return command;
    }
}
