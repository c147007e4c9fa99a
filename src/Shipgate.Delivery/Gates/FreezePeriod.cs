using Shipgate.Delivery.Configuration;

namespace Shipgate.Delivery.Gates;

/// <summary>
/// A stretch of frozen time: it began with <see cref="Window"/> at <see cref="Start"/>, and with the windows that
/// overlap or adjoin it, lasts until <see cref="End"/> (exclusive).
/// </summary>
public sealed record FreezePeriod(FreezeWindow Window, DateTimeOffset Start, DateTimeOffset End);
