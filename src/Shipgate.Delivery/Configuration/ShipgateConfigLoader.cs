using Shipgate.Core.Diagnostics;
using Shipgate.Core.Yaml;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// The entry point for <c>shipgate.yml</c>: YAML with positions (Core's loader), then the services and
/// environments, every problem reported in one pass as <c>file:line:col: error: message</c>. Never throws on bad input.
/// </summary>
public static class ShipgateConfigLoader
{
    /// <summary>The most diagnostics one file reports; a file past it is broken enough.</summary>
    internal const int MaxDiagnostics = 500;

    /// <summary>Reads and loads <paramref name="path"/>; diagnostics name the path as given.</summary>
    public static ShipgateConfigLoadResult LoadFile(string path, YamlLimits? limits = null) =>
        FromYaml(YamlLoader.LoadFile(path, limits), path);

    /// <summary>Loads the text of a <c>shipgate.yml</c> (e.g. read from git at a commit); <paramref name="filePath"/> names it in diagnostics.</summary>
    public static ShipgateConfigLoadResult LoadText(string text, string filePath = ShipgateConfig.FileName, YamlLimits? limits = null) =>
        FromYaml(YamlLoader.LoadText(text, filePath, limits), filePath);

    private static ShipgateConfigLoadResult FromYaml(YamlLoadResult yaml, string path)
    {
        var diagnostics = new List<Diagnostic>(yaml.Diagnostics);
        ShipgateConfig? config = null;
        // A tree with YAML errors (a duplicate key, say) is still read, so that one pass reports everything.
        if (yaml.Root is not null || !yaml.HasErrors)
        {
            config = ShipgateConfigParser.Parse(yaml.Root, path, diagnostics);
        }

        var sorted = DiagnosticList.SortAndLimit(diagnostics, path, MaxDiagnostics);
        var hasErrors = sorted.Any(d => d.Severity == DiagnosticSeverity.Error);
        return new ShipgateConfigLoadResult { Config = hasErrors ? null : config, Diagnostics = sorted };
    }
}
