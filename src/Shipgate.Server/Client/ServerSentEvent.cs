namespace Shipgate.Server.Client;

/// <summary>One server-sent event: its id (what a reconnecting client sends as Last-Event-ID), name and data.</summary>
public sealed record ServerSentEvent(string? Id, string Event, string Data)
{
    /// <summary>The id as a run event's sequence, or null when it is not a number.</summary>
    public long? Sequence => long.TryParse(Id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence) ? sequence : null;
}
