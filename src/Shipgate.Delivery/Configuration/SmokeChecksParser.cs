using Shipgate.Core.Diagnostics;
using Shipgate.Core.Yaml;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// Reads a list of smoke checks written on their own, as <c>shipgate/verify</c>'s <c>checks</c> input (YAML or JSON,
/// the same keys as <c>smoke:</c> in shipgate.yml), every problem reported at once.
/// </summary>
public static class SmokeChecksParser
{
    /// <summary>The checks in <paramref name="text"/>; null with the errors when it is not a valid list of checks.</summary>
    public static IReadOnlyList<SmokeCheck>? Parse(string text, string what, out IReadOnlyList<Diagnostic> errors)
    {
        var yaml = YamlLoader.LoadText(text, what);
        var diagnostics = new List<Diagnostic>(yaml.Diagnostics);
        IReadOnlyList<SmokeCheck>? checks = null;
        if (yaml.Root is not null && !yaml.HasErrors)
        {
            checks = ShipgateConfigParser.ParseSmoke(yaml.Root, what, diagnostics);
        }

        errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        return errors.Count == 0 ? checks : null;
    }
}
