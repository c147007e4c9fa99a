namespace Shipgate.Core.Diagnostics;

/// <summary>
/// One finding about a user's file, printed as <c>file:line:col: error: message</c>.
/// Messages are one sentence and never contain secret values.
/// </summary>
public sealed record Diagnostic(DiagnosticSeverity Severity, SourceLocation? Location, string Message)
{
    public static Diagnostic Error(SourceLocation? location, string message) => new(DiagnosticSeverity.Error, location, message);

    public static Diagnostic Warning(SourceLocation? location, string message) => new(DiagnosticSeverity.Warning, location, message);

    public override string ToString()
    {
        var severity = Severity == DiagnosticSeverity.Error ? "error" : "warning";
        return Location is null ? $"{severity}: {Message}" : $"{Location}: {severity}: {Message}";
    }
}
