namespace Shipgate.Core.Diagnostics;

public enum DiagnosticSeverity
{
    Error,
    Warning,
}
