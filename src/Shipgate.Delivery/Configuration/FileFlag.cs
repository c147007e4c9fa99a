using Shipgate.Core.Diagnostics;
using Shipgate.Flags.Document;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// A flag declared under <c>flags:</c> in <c>shipgate.yml</c>: the repository's baseline for the flag, with the
/// environments that override its state, default variant or rules. The server keeps each environment's flags in
/// step with the file at the head of the protected branch unless someone changed the flag at run time (drift).
/// </summary>
public sealed class FileFlag
{
    /// <summary>The flag's key.</summary>
    public required string Key { get; init; }

    /// <summary>Where the flag's key is written.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>The definition every environment without an override gets.</summary>
    public required FlagDefinition Definition { get; init; }

    /// <summary>The definitions of the environments that override something, by environment name.</summary>
    public IReadOnlyDictionary<string, FlagDefinition> Overrides { get; init; } =
        new Dictionary<string, FlagDefinition>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The flag as the file defines it for <paramref name="environment"/>.</summary>
    public FlagDefinition For(string environment) =>
        Overrides.TryGetValue(environment, out var definition) ? definition : Definition;
}
