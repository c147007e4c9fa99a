using System.Text;

namespace Shipgate.Core.Validation;

/// <summary>
/// Finds values an outsider controls (issue and pull request titles and bodies, comments, branch
/// names, commit messages and authors...) interpolated with <c>${{ }}</c> into text. In a script
/// they can inject commands. The list follows GitHub's security hardening guide
/// ("Understanding the risk of script injections") and GitHub Security Lab's list of untrusted input.
/// </summary>
internal static class UntrustedInputs
{
    /// <summary>Last property names under <c>github.event</c> that carry text an outsider wrote.</summary>
    private static readonly string[] UntrustedLeaves = ["title", "body", "message", "page_name", "default_branch", "head_branch", "head_ref", "label"];

    /// <summary>Each untrusted property path and its offset in <paramref name="text"/>, in order.</summary>
    public static IEnumerable<(int Offset, string Path)> Find(string text)
    {
        var searchFrom = 0;
        while (true)
        {
            var open = text.IndexOf("${{", searchFrom, StringComparison.Ordinal);
            if (open < 0)
            {
                yield break;
            }

            var close = FindClose(text, open + 3);
            var end = close < 0 ? text.Length : close;
            foreach (var found in FindInExpression(text, open + 3, end))
            {
                yield return found;
            }

            if (close < 0)
            {
                yield break;
            }

            searchFrom = close + 2;
        }
    }

    /// <summary>The <c>}}</c> that closes an expression, skipping string literals ('it''s').</summary>
    private static int FindClose(string text, int from)
    {
        var inString = false;
        for (var i = from; i < text.Length; i++)
        {
            if (text[i] == '\'')
            {
                inString = !inString;
            }
            else if (!inString && text[i] == '}' && i + 1 < text.Length && text[i + 1] == '}')
            {
                return i;
            }
        }

        return -1;
    }

    private static IEnumerable<(int Offset, string Path)> FindInExpression(string text, int start, int end)
    {
        var i = start;
        while (i < end)
        {
            var c = text[i];
            if (c == '\'')
            {
                i = SkipString(text, i, end);
                continue;
            }

            if (IsIdentifierStart(c) && (i == start || !IsIdentifierPart(text[i - 1]) && text[i - 1] != '.'))
            {
                var identifierStart = i;
                var path = ReadPath(text, ref i, end);
                if (IsUntrusted(path))
                {
                    yield return (identifierStart, string.Join('.', path));
                }

                continue;
            }

            i++;
        }
    }

    /// <summary>Reads <c>a.b['c'].*[0]</c> as [a, b, c, *, *], lower-cased.</summary>
    private static List<string> ReadPath(string text, ref int i, int end)
    {
        var path = new List<string> { ReadIdentifier(text, ref i, end) };
        while (i < end)
        {
            var j = SkipSpaces(text, i, end);
            if (j < end && text[j] == '.')
            {
                j = SkipSpaces(text, j + 1, end);
                if (j < end && text[j] == '*')
                {
                    path.Add("*");
                    i = j + 1;
                }
                else if (j < end && IsIdentifierStart(text[j]))
                {
                    i = j;
                    path.Add(ReadIdentifier(text, ref i, end));
                }
                else
                {
                    break;
                }
            }
            else if (j < end && text[j] == '[')
            {
                var inner = SkipSpaces(text, j + 1, end);
                var close = text.IndexOf(']', inner);
                if (close < 0 || close >= end)
                {
                    break;
                }

                var index = text[inner..close].Trim();
                path.Add(index.Length > 1 && index[0] == '\'' && index[^1] == '\'' ? index[1..^1].ToLowerInvariant() : "*");
                i = close + 1;
            }
            else
            {
                break;
            }
        }

        return path;
    }

    private static bool IsUntrusted(List<string> path)
    {
        if (path.Count < 2 || path[0] != "github")
        {
            return false;
        }

        if (path.Count == 2)
        {
            return path[1] == "head_ref";
        }

        if (path[1] != "event")
        {
            return false;
        }

        var leaf = path[^1];
        var parent = path[^2];
        return (UntrustedLeaves.Contains(leaf, StringComparer.Ordinal) && !(leaf == "label" && parent != "head"))
            || (leaf == "ref" && parent == "head")
            || (leaf is "name" or "email" && parent is "author" or "committer");
    }

    private static string ReadIdentifier(string text, ref int i, int end)
    {
        var builder = new StringBuilder();
        while (i < end && IsIdentifierPart(text[i]))
        {
            builder.Append(char.ToLowerInvariant(text[i]));
            i++;
        }

        return builder.ToString();
    }

    private static int SkipSpaces(string text, int i, int end)
    {
        while (i < end && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i;
    }

    private static int SkipString(string text, int i, int end)
    {
        i++;
        while (i < end)
        {
            if (text[i] == '\'')
            {
                if (i + 1 < end && text[i + 1] == '\'')
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return end;
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';
}
