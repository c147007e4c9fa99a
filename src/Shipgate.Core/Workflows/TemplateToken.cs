using Shipgate.Core.Diagnostics;

namespace Shipgate.Core.Workflows;

/// <summary>
/// A value from a workflow file as written, with its position: a scalar, a sequence or a mapping.
/// Values that may hold <c>${{ }}</c> expressions stay tokens until the engine evaluates them
/// with the contexts of the moment (as the GitHub runner does with its template tokens).
/// </summary>
public abstract record TemplateToken(SourceLocation Location)
{
    /// <summary>How the token is named in messages: "a string", "a sequence" or "a mapping".</summary>
    public abstract string KindName { get; }
}
