namespace Shipgate.Cli.Run;

/// <summary>Parses repeated <c>NAME=VALUE</c> options such as <c>--input</c>, <c>--var</c> and <c>--secret</c>.</summary>
internal static class KeyValueArguments
{
    public static List<KeyValuePair<string, string>> Parse(IEnumerable<string> arguments, string optionName)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var argument in arguments)
        {
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                // Never echo the argument: it may be a secret.
                throw new UserInputException($"{optionName} takes NAME=VALUE; one of the values given has no name before '='.");
            }

            pairs.Add(new KeyValuePair<string, string>(argument[..equals].Trim(), argument[(equals + 1)..]));
        }

        return pairs;
    }
}
