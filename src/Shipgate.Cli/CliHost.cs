using System.CommandLine;

namespace Shipgate.Cli;

/// <summary>Exit codes of every command (DESIGN.md) and the one place that turns failures into them.</summary>
internal static class CliHost
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int InvalidInput = 2;
    public const int NotPermitted = 3;
    public const int NotFound = 4;

    public static int Invoke(RootCommand root, string[] args)
    {
        // No response files: an argument that starts with @ is a value (a ref such as @{-1} is refused by the server, not read as a file).
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"shipgate: {error.Message}");
            }

            return InvalidInput;
        }

        try
        {
            // Signals are the commands' business: `run` cancels gracefully and must outlive a 2 s deadline.
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (UserInputException ex)
        {
            Console.Error.WriteLine($"shipgate: {ex.Message}");
            return InvalidInput;
        }
        catch (Exception ex) when (Environment.GetEnvironmentVariable("SHIPGATE_DEBUG") is null)
        {
            Console.Error.WriteLine($"shipgate: unexpected error ({ex.GetType().Name}): {ex.Message} This is a bug in Shipgate; SHIPGATE_DEBUG=1 shows the details.");
            return Failed;
        }
    }
}
