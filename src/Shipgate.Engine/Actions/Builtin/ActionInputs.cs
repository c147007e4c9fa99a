using System.Globalization;

namespace Shipgate.Engine.Actions.Builtin;

/// <summary>Reads typed inputs the way @actions/core does (getBooleanInput, getMultilineInput).</summary>
internal static class ActionInputs
{
    /// <summary>
    /// A YAML 1.2 core-schema boolean (true/True/TRUE/false/False/FALSE), or <paramref name="defaultValue"/>
    /// when absent; null when the value is not a boolean (the caller reports it).
    /// </summary>
    public static bool? GetBoolean(this IActionContext context, string name, bool defaultValue)
    {
        var value = context.GetInput(name).Trim();
        return value switch
        {
            "" => defaultValue,
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ => null,
        };
    }

    /// <summary>The non-empty lines of an input, trimmed.</summary>
    public static IReadOnlyList<string> GetLines(this IActionContext context, string name) =>
        context.GetInput(name).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();

    /// <summary>A whole number, <paramref name="defaultValue"/> when absent; null when it is not one.</summary>
    public static int? GetInteger(this IActionContext context, string name, int defaultValue)
    {
        var value = context.GetInput(name).Trim();
        if (value.Length == 0)
        {
            return defaultValue;
        }

        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;
    }

    /// <summary>The failure for an input that is not of the right type, in one sentence.</summary>
    public static ActionResult Invalid(string name, string value, string expected) =>
        ActionResult.Failure($"Input '{name}' must be {expected}, but it is '{value}'.");

    /// <summary>
    /// Expands a leading <c>~</c> (HOME) and makes a relative path absolute under the workspace, as actions
    /// resolve paths against their working directory, which is GITHUB_WORKSPACE.
    /// </summary>
    public static string ResolvePath(this IActionContext context, string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            var home = context.Environment.TryGetValue("HOME", out var h) && h.Length > 0
                ? h
                : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            path = home + path[1..];
        }

        return Path.GetFullPath(Path.Combine(context.Workspace, path));
    }
}
