using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shipgate.Edge.State;

/// <summary>The state file's and <c>edge.json</c>'s JSON, source-generated (the CLI is published Native AOT).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(PersistedState))]
[JsonSerializable(typeof(EdgeDiscovery))]
internal sealed partial class EdgeStateJsonContext : JsonSerializerContext;
