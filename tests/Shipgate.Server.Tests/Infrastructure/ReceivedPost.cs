using System.Text;
using System.Text.Json;

namespace Shipgate.Server.Tests.Infrastructure;

/// <summary>A post a <see cref="WebhookReceiver"/> received, and the status it answered.</summary>
internal sealed record ReceivedPost(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, int Answered)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string Text => Encoding.UTF8.GetString(Body);
}
