using System.Text.Json.Serialization;

namespace Shipgate.Server.Runs;

/// <summary>The JSON the server writes into run event payloads of its own (source-generated).</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class RunJsonContext : JsonSerializerContext;
