using Shipgate.Core.Diagnostics;

namespace Shipgate.Core.Workflows;

/// <summary>A YAML mapping; keys keep their order and their positions.</summary>
public sealed record MappingToken(IReadOnlyList<KeyValuePair<ScalarToken, TemplateToken>> Pairs, SourceLocation Location) : TemplateToken(Location)
{
    public override string KindName => "a mapping";

    /// <summary>The value of <paramref name="key"/> (compared ordinally), or null when the key is absent.</summary>
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
