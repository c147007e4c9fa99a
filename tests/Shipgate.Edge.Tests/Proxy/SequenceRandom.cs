namespace Shipgate.Edge.Tests.Proxy;

/// <summary>
/// A deterministic random source: the draws are 0, stride, 2 × stride… modulo the bound (stride 1 by default),
/// so a split over a multiple of the bound is exact.
/// </summary>
internal sealed class SequenceRandom(int stride = 1) : Random
{
    private int _next = -1;

    public override int Next(int maxValue) => (int)((uint)Interlocked.Increment(ref _next) * (uint)stride % (uint)maxValue);
}
