using Shipgate.Core.Diagnostics;

namespace Shipgate.Core.Workflows;

/// <summary>A YAML sequence.</summary>
public sealed record SequenceToken(IReadOnlyList<TemplateToken> Items, SourceLocation Location) : TemplateToken(Location)
{
    public override string KindName => "a sequence";
}
