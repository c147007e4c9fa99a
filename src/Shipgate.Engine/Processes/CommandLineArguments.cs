using System.Text;

namespace Shipgate.Engine.Processes;

/// <summary>
/// Splits an argument string the way .NET's <c>ProcessStartInfo.Arguments</c> does on Unix (the MSVC rules), which
/// is how GitHub's runner hands a shell template such as <c>-command ". '{0}'"</c> to the shell.
/// </summary>
internal static class CommandLineArguments
{
    /// <summary>
    /// Whitespace separates arguments; double quotes group (<c>""</c> inside quotes is one quote); backslashes are
    /// literal except before a double quote, where each pair gives one backslash and an odd one escapes the quote.
    /// </summary>
    public static List<string> Split(string arguments)
    {
        var result = new List<string>();
        var current = new StringBuilder();
        var inArgument = false;
        var inQuotes = false;
        for (var i = 0; i < arguments.Length; i++)
        {
            var c = arguments[i];
            if (c == '\\')
            {
                var slashes = 0;
                while (i < arguments.Length && arguments[i] == '\\')
                {
                    slashes++;
                    i++;
                }

                if (i < arguments.Length && arguments[i] == '"')
                {
                    current.Append('\\', slashes / 2);
                    if (slashes % 2 == 1)
                    {
                        current.Append('"');
                    }
                    else
                    {
                        i--;
                    }
                }
                else
                {
                    current.Append('\\', slashes);
                    i--;
                }

                inArgument = true;
            }
            else if (c == '"')
            {
                if (inQuotes && i + 1 < arguments.Length && arguments[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else
                {
                    inQuotes = !inQuotes;
                }

                inArgument = true;
            }
            else if ((c == ' ' || c == '\t') && !inQuotes)
            {
                if (inArgument)
                {
                    result.Add(current.ToString());
                    current.Clear();
                    inArgument = false;
                }
            }
            else
            {
                current.Append(c);
                inArgument = true;
            }
        }

        if (inArgument)
        {
            result.Add(current.ToString());
        }

        return result;
    }
}
