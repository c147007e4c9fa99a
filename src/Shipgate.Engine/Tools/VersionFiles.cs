using System.Text.Json;
using System.Text.RegularExpressions;

namespace Shipgate.Engine.Tools;

/// <summary>
/// Reads the version a project pins in its own files (<c>node-version-file</c>, <c>python-version-file</c>...),
/// in the formats the setup-* actions read. Each returns the spec text, or null when the file names none.
/// </summary>
internal static partial class VersionFiles
{
    /// <summary>.nvmrc, .node-version, .tool-versions (nodejs), package.json (volta.node, then engines.node).</summary>
    public static string? ReadNode(string path, string content)
    {
        if (Path.GetFileName(path) == "package.json")
        {
            try
            {
                using var document = JsonDocument.Parse(content);
                var root = document.RootElement;
                if (root.TryGetProperty("volta", out var volta) && volta.ValueKind == JsonValueKind.Object
                    && volta.TryGetProperty("node", out var voltaNode) && voltaNode.ValueKind == JsonValueKind.String)
                {
                    return voltaNode.GetString();
                }

                return root.TryGetProperty("engines", out var engines) && engines.ValueKind == JsonValueKind.Object
                    && engines.TryGetProperty("node", out var node) && node.ValueKind == JsonValueKind.String
                    ? node.GetString()
                    : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        return ToolVersionsEntry(content, "nodejs", "node") ?? FirstLine(content);
    }

    /// <summary>.python-version, .tool-versions (python), pyproject.toml (requires-python).</summary>
    public static string? ReadPython(string path, string content)
    {
        if (Path.GetFileName(path) == "pyproject.toml")
        {
            var match = RequiresPython().Match(content);
            // PEP 440's "~=3.10" and "==3.11.*" in the spec syntax the other files use.
            return match.Success
                ? match.Groups[1].Value.Replace(",", " ", StringComparison.Ordinal).Replace("~=", "~", StringComparison.Ordinal).Replace("==", "=", StringComparison.Ordinal)
                : null;
        }

        return ToolVersionsEntry(content, "python") ?? FirstLine(content);
    }

    /// <summary>go.mod (toolchain, then go), .go-version, .tool-versions (golang).</summary>
    public static string? ReadGo(string path, string content)
    {
        if (Path.GetFileName(path) == "go.mod")
        {
            var toolchain = GoToolchain().Match(content);
            if (toolchain.Success)
            {
                return toolchain.Groups[1].Value;
            }

            var go = GoDirective().Match(content);
            return go.Success ? go.Groups[1].Value : null;
        }

        return ToolVersionsEntry(content, "golang", "go") ?? FirstLine(content);
    }

    /// <summary>.java-version, .tool-versions (java, e.g. <c>temurin-17.0.2+8</c>), .sdkmanrc (<c>java=17.0.2-tem</c>).</summary>
    public static string? ReadJava(string path, string content)
    {
        var text = Path.GetFileName(path) == ".sdkmanrc"
            ? content.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("java=", StringComparison.Ordinal))?[5..]
            : ToolVersionsEntry(content, "java") ?? FirstLine(content);
        if (text is null)
        {
            return null;
        }

        var version = JavaVersionInText().Match(text);
        return version.Success ? version.Value : null;
    }

    /// <summary>global.json's sdk.version and sdk.rollForward as a spec (latestPatch keeps the feature band, and so on).</summary>
    public static string? ReadDotnet(string content)
    {
        try
        {
            using var document = JsonDocument.Parse(content, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (!document.RootElement.TryGetProperty("sdk", out var sdk) || !sdk.TryGetProperty("version", out var versionElement))
            {
                return null;
            }

            var text = versionElement.GetString();
            if (text is null || ToolVersion.TryParse(text) is not { } version)
            {
                return text;
            }

            var rollForward = sdk.TryGetProperty("rollForward", out var roll) ? roll.GetString() : null;
            var band = version.Patch / 100;
            return rollForward switch
            {
                "latestMajor" => $">={text}",
                "latestMinor" => $">={text} <{version.Major + 1}",
                "latestFeature" or "minor" or "major" or "feature" => $">={text} <{version.Major}.{version.Minor + 1}",
                "disable" => text,
                _ => $">={text} <{version.Major}.{version.Minor}.{(band + 1) * 100}",
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? FirstLine(string content) => content
        .Split('\n')
        .Select(l => l.Trim())
        .FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#'));

    private static string? ToolVersionsEntry(string content, params string[] names)
    {
        foreach (var line in content.Split('\n'))
        {
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && names.Contains(parts[0]))
            {
                return parts[1];
            }
        }

        return null;
    }

    [GeneratedRegex(@"^\s*requires-python\s*=\s*[""']([^""']+)[""']", RegexOptions.Multiline)]
    private static partial Regex RequiresPython();

    [GeneratedRegex(@"^\s*toolchain\s+go(\S+)", RegexOptions.Multiline)]
    private static partial Regex GoToolchain();

    [GeneratedRegex(@"^\s*go\s+(\d+(?:\.\d+)*)", RegexOptions.Multiline)]
    private static partial Regex GoDirective();

    [GeneratedRegex(@"\d+(?:\.\d+)*(?:\+\d+)?")]
    private static partial Regex JavaVersionInText();
}
