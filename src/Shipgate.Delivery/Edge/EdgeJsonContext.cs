using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shipgate.Delivery.Edge;

/// <summary>The admin API's JSON, source-generated: camelCase, enums as camelCase strings, nulls left out.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(EdgeInfo))]
[JsonSerializable(typeof(EdgeServiceSpec))]
[JsonSerializable(typeof(EdgeReleaseSpec))]
[JsonSerializable(typeof(EdgeRoutingSpec))]
[JsonSerializable(typeof(EdgeServiceStatus))]
[JsonSerializable(typeof(EdgeReleaseStatus))]
[JsonSerializable(typeof(EdgeState))]
[JsonSerializable(typeof(EdgeMetricsSnapshot))]
[JsonSerializable(typeof(EdgeProblem))]
public sealed partial class EdgeJsonContext : JsonSerializerContext;
