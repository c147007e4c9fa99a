using System.Text.Json.Serialization;

namespace Shipgate.Flags.Document;

/// <summary>Source-generated JSON for the flag document (no reflection, so it is trim- and AOT-safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(FlagDocument))]
[JsonSerializable(typeof(FlagDefinition))]
[JsonSerializable(typeof(List<FlagRule>))]
public sealed partial class FlagJsonContext : JsonSerializerContext;
