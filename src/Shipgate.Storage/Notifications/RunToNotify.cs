namespace Shipgate.Storage.Notifications;

/// <summary>A run whose event stream has events the notifier has not read: those after <see cref="NotifiedSequence"/> up to <see cref="LastEventSequence"/>.</summary>
public sealed record RunToNotify(long RunId, long ProjectId, long NotifiedSequence, long LastEventSequence);
