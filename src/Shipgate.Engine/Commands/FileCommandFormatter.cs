namespace Shipgate.Engine.Commands;

/// <summary>
/// Writes a <c>name&lt;&lt;DELIMITER</c> entry for GITHUB_OUTPUT, GITHUB_ENV or GITHUB_STATE the way
/// @actions/core does: a random delimiter, and an error when the name or the value contains it (the value
/// would otherwise end early).
/// </summary>
public static class FileCommandFormatter
{
    /// <summary>The entry, ending with a newline; throws when the delimiter appears in the name or value.</summary>
    public static string FormatEntry(string name, string value, string? delimiter = null)
    {
        delimiter ??= $"ghadelimiter_{Guid.NewGuid()}";
        if (name.Contains(delimiter, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Unexpected input: name should not contain the delimiter \"{delimiter}\"", nameof(name));
        }

        if (value.Contains(delimiter, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Unexpected input: value should not contain the delimiter \"{delimiter}\"", nameof(value));
        }

        return $"{name}<<{delimiter}\n{value}\n{delimiter}\n";
    }
}
