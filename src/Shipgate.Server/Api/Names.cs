using System.Text.RegularExpressions;

namespace Shipgate.Server.Api;

/// <summary>The names of users, projects, tokens and environments: letters, digits, '.', '_' and '-', 1 to 64 characters.</summary>
internal static partial class Names
{
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    public static string Rule(string what) => $"A {what} name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
