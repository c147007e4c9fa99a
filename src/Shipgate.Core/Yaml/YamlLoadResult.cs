using Shipgate.Core.Diagnostics;
using Shipgate.Core.Workflows;

namespace Shipgate.Core.Yaml;

/// <summary>The token tree of a YAML file, and what was wrong with it.</summary>
public sealed class YamlLoadResult
{
    /// <summary>The document's root; null when the file is empty or could not be read at all.</summary>
    public TemplateToken? Root { get; init; }

    public required IReadOnlyList<Diagnostic> Diagnostics { get; init; }

    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}
