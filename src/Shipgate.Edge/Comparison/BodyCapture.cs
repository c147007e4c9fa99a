namespace Shipgate.Edge.Comparison;

/// <summary>
/// The first bytes of a body, up to a bound: a larger body keeps nothing and is marked <see cref="Overflowed"/>, so
/// a pair holds at most two bounded buffers however large the answers are.
/// </summary>
internal sealed class BodyCapture(int maxBytes)
{
    private byte[] _buffer = [];
    private int _length;

    /// <summary>The body was larger than the bound: it is not compared.</summary>
    public bool Overflowed { get; private set; }

    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, _length);

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (Overflowed || bytes.IsEmpty)
        {
            return;
        }

        if (bytes.Length > maxBytes - _length)
        {
            Overflowed = true;
            _buffer = [];
            _length = 0;
            return;
        }

        if (_length + bytes.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, (int)Math.Min(maxBytes, Math.Max(_length + bytes.Length, Math.Max(4096L, _buffer.Length * 2L))));
        }

        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }
}
