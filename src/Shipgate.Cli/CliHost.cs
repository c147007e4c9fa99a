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
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"shipgate: {error.Message}");
            }

            return InvalidInput;
        }

        try
        {
            return parse.Invoke();
        }
        catch (UserInputException ex)
        {
            Console.Error.WriteLine($"shipgate: {ex.Message}");
            return InvalidInput;
        }
    }
}

/// <summary>Bad input from the user: printed as one sentence, exit 2, no stack trace.</summary>
internal sealed class UserInputException(string message) : Exception(message);
