namespace Shipgate.Storage.Database;

/// <summary>
/// Timestamps the store writes: UTC, truncated to the microsecond both engines keep, so a value reads
/// back equal to what was written (and an audit entry hashes the same after a round trip).
/// </summary>
internal static class StoreClock
{
    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    public static DateTimeOffset Now(TimeProvider time) => Truncate(time.GetUtcNow());
}
