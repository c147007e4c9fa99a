namespace Shipgate.Storage.Flags;

/// <summary>A new client key: <see cref="Key"/> is shown once and never stored.</summary>
public sealed record CreatedFlagClientKey(string Key, FlagClientKeyRecord Record);
