namespace Shipgate.Flags;

/// <summary>The type of a flag's values.</summary>
public enum FlagType
{
    Boolean,
    String,
    Number,
    Object,
}
