using Shipgate.Core.Diagnostics;

namespace Shipgate.Core.Workflows;

/// <summary>
/// A value from a workflow file as written, with its position: a scalar, a sequence or a mapping.
/// Values that may hold <c>${{ }}</c> expressions stay tokens until the engine evaluates them
/// with the contexts of the moment (as the GitHub runner does with its template tokens).
/// </summary>
public abstract record TemplateToken(SourceLocation Location);

/// <summary>
/// A YAML scalar. <see cref="IsPlain"/> is true for an unquoted scalar, whose text may stand for
/// a boolean, a number or null (YAML 1.2 core schema: true/false, numbers, null and ~).
/// </summary>
public sealed record ScalarToken(string Value, bool IsPlain, SourceLocation Location) : TemplateToken(Location)
{
    /// <summary>True when the scalar contains <c>${{</c>.</summary>
    public bool HasExpression => Value.Contains("${{", StringComparison.Ordinal);

    public override string ToString() => Value;
}

public sealed record SequenceToken(IReadOnlyList<TemplateToken> Items, SourceLocation Location) : TemplateToken(Location);

/// <summary>A YAML mapping; keys keep their order and their positions.</summary>
public sealed record MappingToken(IReadOnlyList<KeyValuePair<ScalarToken, TemplateToken>> Pairs, SourceLocation Location) : TemplateToken(Location)
{
    public TemplateToken? this[string key]
    {
        get
        {
            foreach (var pair in Pairs)
            {
                if (pair.Key.Value == key)
                {
                    return pair.Value;
                }
            }

            return null;
        }
    }
}
