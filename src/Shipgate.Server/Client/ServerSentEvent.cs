namespace Shipgate.Server.Client;

/// <summary>One server-sent event: its id (the run event's sequence, when it has one), name and data.</summary>
public sealed record ServerSentEvent(long? Id, string Event, string Data);
