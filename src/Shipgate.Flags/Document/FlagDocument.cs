namespace Shipgate.Flags.Document;

/// <summary>
/// An environment's whole flag configuration as JSON: <c>{"version":1,"flags":[...]}</c>. The server stores and serves
/// this document; <see cref="FlagConfiguration.Parse(string, TimeProvider?)"/> checks and compiles it.
/// </summary>
public sealed class FlagDocument
{
    /// <summary>The format's version; this library reads version 1.</summary>
    public int Version { get; set; }

    /// <summary>The flags, each with a unique key.</summary>
    public List<FlagDefinition>? Flags { get; set; }
}
