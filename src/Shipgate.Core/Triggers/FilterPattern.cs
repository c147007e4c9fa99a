using System.Text;
using System.Text.RegularExpressions;

namespace Shipgate.Core.Triggers;

/// <summary>
/// One pattern of a branch, tag or path filter, with GitHub's rules ("filter pattern cheat sheet" of the
/// workflow syntax docs): <c>*</c> matches any characters but <c>/</c>; <c>**</c> matches any characters
/// (and <c>**/</c> any leading directories, or none); <c>?</c> and <c>+</c> make the preceding character
/// optional or repeatable; <c>[0-9a-z]</c> matches one character listed or in a range; <c>\</c> escapes;
/// a leading <c>!</c> makes the pattern a negation, evaluated in order with the others.
/// </summary>
public sealed class FilterPattern
{
    private readonly Regex _regex;

    private FilterPattern(string text, bool isNegation, Regex regex)
    {
        Text = text;
        IsNegation = isNegation;
        _regex = regex;
    }

    /// <summary>The pattern as written, with its leading <c>!</c> if any.</summary>
    public string Text { get; }

    public bool IsNegation { get; }

    /// <summary>True when <paramref name="value"/> (a branch name, tag name or path) matches, ignoring the negation.</summary>
    public bool IsMatch(string value) => _regex.IsMatch(value);

    /// <summary>Compiles <paramref name="text"/>; on failure, <paramref name="errorIndex"/> is the 0-based offset of the problem.</summary>
    public static bool TryCreate(string text, out FilterPattern? pattern, out string? error, out int errorIndex)
    {
        pattern = null;
        var isNegation = text.StartsWith('!');
        var start = isNegation ? 1 : 0;
        if (text.Length == start)
        {
            error = "a filter pattern cannot be empty";
            errorIndex = 0;
            return false;
        }

        var regex = new StringBuilder("^");
        var previousIsAtom = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '*' when i + 1 < text.Length && text[i + 1] == '*':
                    var atSegmentStart = i == start || text[i - 1] == '/';
                    if (atSegmentStart && i + 2 < text.Length && text[i + 2] == '/')
                    {
                        // "**/" also matches no directory at all: docs/**/*.md matches docs/README.md.
                        regex.Append("(?:.*/)?");
                        i += 2;
                    }
                    else
                    {
                        regex.Append(".*");
                        i++;
                    }

                    previousIsAtom = false;
                    break;
                case '*':
                    regex.Append("[^/]*");
                    previousIsAtom = false;
                    break;
                case '?' or '+' when previousIsAtom:
                    regex.Append(c);
                    previousIsAtom = false;
                    break;
                case '[':
                    if (!TryAppendClass(text, ref i, regex, out error, out errorIndex))
                    {
                        return false;
                    }

                    previousIsAtom = true;
                    break;
                case '\\':
                    if (i + 1 >= text.Length)
                    {
                        error = "'\\' at the end of a filter pattern escapes nothing";
                        errorIndex = i;
                        return false;
                    }

                    i++;
                    regex.Append(Regex.Escape(text[i].ToString()));
                    previousIsAtom = true;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    previousIsAtom = true;
                    break;
            }
        }

        regex.Append('$');
        pattern = new FilterPattern(text, isNegation, new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking));
        error = null;
        errorIndex = 0;
        return true;
    }

    /// <summary>Compiles a pattern known to be valid (checked when the workflow was parsed).</summary>
    public static FilterPattern Create(string text) =>
        TryCreate(text, out var pattern, out var error, out _) ? pattern! : throw new ArgumentException(error, nameof(text));

    private static bool TryAppendClass(string text, ref int i, StringBuilder regex, out string? error, out int errorIndex)
    {
        var open = i;
        var close = text.IndexOf(']', open + 1);
        if (close < 0)
        {
            error = "'[' has no closing ']'";
            errorIndex = open;
            return false;
        }

        if (close == open + 1)
        {
            error = "'[]' lists no character";
            errorIndex = open;
            return false;
        }

        regex.Append('[');
        for (var j = open + 1; j < close; j++)
        {
            if (j + 2 < close && text[j + 1] == '-')
            {
                var (low, high) = (text[j], text[j + 2]);
                if (!(IsSameRangeClass(low, high) && low <= high))
                {
                    error = $"the range '{low}-{high}' is invalid; ranges can only include a-z, A-Z and 0-9";
                    errorIndex = j;
                    return false;
                }

                regex.Append(low).Append('-').Append(high);
                j += 2;
            }
            else
            {
                regex.Append(Regex.Escape(text[j].ToString()).Replace("]", "\\]", StringComparison.Ordinal).Replace("-", "\\-", StringComparison.Ordinal));
            }
        }

        regex.Append(']');
        i = close;
        error = null;
        errorIndex = 0;
        return true;
    }

    private static bool IsSameRangeClass(char low, char high) =>
        (char.IsAsciiDigit(low) && char.IsAsciiDigit(high))
        || (char.IsAsciiLetterLower(low) && char.IsAsciiLetterLower(high))
        || (char.IsAsciiLetterUpper(low) && char.IsAsciiLetterUpper(high));

    public override string ToString() => Text;
}
