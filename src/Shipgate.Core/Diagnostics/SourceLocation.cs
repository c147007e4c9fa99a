namespace Shipgate.Core.Diagnostics;

/// <summary>A position in a user's file: 1-based line and column.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
