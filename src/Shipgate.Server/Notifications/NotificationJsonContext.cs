using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shipgate.Server.Notifications;

/// <summary>The outgoing webhooks' JSON, source-generated; camelCase, nulls left out.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NotificationPayload))]
[JsonSerializable(typeof(SlackPayload))]
internal sealed partial class NotificationJsonContext : JsonSerializerContext;
