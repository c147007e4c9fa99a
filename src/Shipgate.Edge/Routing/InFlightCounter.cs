namespace Shipgate.Edge.Routing;

/// <summary>Requests being forwarded to one instance, counted with interlocked operations.</summary>
internal sealed class InFlightCounter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);

    public void Decrement() => Interlocked.Decrement(ref _count);
}
