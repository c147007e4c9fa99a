using System.Text.Json;

namespace Shipgate.Flags.Document;

/// <summary>One flag: its variants, its default, its on/off state and its targeting rules, evaluated in order.</summary>
public sealed class FlagDefinition
{
    /// <summary>The key clients ask for.</summary>
    public string? Key { get; set; }

    /// <summary><c>boolean</c>, <c>string</c>, <c>number</c> or <c>object</c>; every variant's value has this type.</summary>
    public string? Type { get; set; }

    /// <summary>Whether the flag is on (the default). An off flag serves <see cref="OffVariant"/> with the reason DISABLED.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Variant name to value, in the order they are written.</summary>
    public Dictionary<string, JsonElement>? Variants { get; set; }

    /// <summary>The variant served when the flag is on and no rule matches.</summary>
    public string? DefaultVariant { get; set; }

    /// <summary>The variant served when the flag is off; the default variant when absent.</summary>
    public string? OffVariant { get; set; }

    /// <summary>Targeting rules; the first that matches decides.</summary>
    public List<FlagRule>? Rules { get; set; }

    /// <summary>Free text for people.</summary>
    public string? Description { get; set; }
}
