using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary>A loaded <c>shipgate.yml</c> and every diagnostic about it, sorted by position.</summary>
public sealed class ShipgateConfigLoadResult
{
    /// <summary>The configuration; null whenever <see cref="HasErrors"/> is true, so that a broken file deploys nothing.</summary>
    public ShipgateConfig? Config { get; init; }

    public required IReadOnlyList<Diagnostic> Diagnostics { get; init; }

    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);

    public IEnumerable<Diagnostic> Warnings => Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning);
}
