namespace Shipgate.Core.Diagnostics;

/// <summary>How a loader hands its diagnostics back: in file order, and not too many.</summary>
public static class DiagnosticList
{
    /// <summary>
    /// <paramref name="diagnostics"/> sorted by line and column (stable, so one spot keeps its order); past
    /// <paramref name="max"/>, the rest are dropped and counted in a last error at the top of <paramref name="filePath"/>.
    /// </summary>
    public static List<Diagnostic> SortAndLimit(IEnumerable<Diagnostic> diagnostics, string filePath, int max)
    {
        var sorted = diagnostics
            .OrderBy(d => d.Location?.Line ?? 0)
            .ThenBy(d => d.Location?.Column ?? 0)
            .ToList();
        if (sorted.Count > max)
        {
            var dropped = sorted.Count - max;
            sorted.RemoveRange(max, dropped);
            sorted.Add(Diagnostic.Error(new SourceLocation(filePath, 1, 1), $"{dropped} more diagnostics were not shown"));
        }

        return sorted;
    }
}
