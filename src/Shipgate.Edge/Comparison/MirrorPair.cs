namespace Shipgate.Edge.Comparison;

/// <summary>
/// Where a mirrored copy's answer meets the primary answer to the same request. Either side may finish first; the
/// second to finish hands the pair to <paramref name="judge"/>, off the client's request when the primary is second,
/// so judging never delays the end of the client's answer.
/// </summary>
internal sealed class MirrorPair(CompiledCompare compare, string method, string path, string query, bool comparesBody,
    DateTimeOffset at, Action<MirrorPair> judge)
{
    private int _pending = 2;

    public CompiledCompare Compare { get; } = compare;

    public string Method { get; } = method;

    public string Path { get; } = path;

    /// <summary>The query string with its <c>?</c>, or empty.</summary>
    public string Query { get; } = query;

    public bool ComparesBody { get; } = comparesBody;

    /// <summary>When the request arrived.</summary>
    public DateTimeOffset At { get; } = at;

    /// <summary>The primary answer; null when the primary failed or the client abandoned it.</summary>
    public Answer? Primary { get; private set; }

    /// <summary>The copy's answer; null when it was abandoned because the edge is stopping.</summary>
    public Answer? Mirror { get; private set; }

    /// <summary>A new bounded capture for one side's body, when the route compares bodies; null otherwise.</summary>
    public BodyCapture? NewCapture() => ComparesBody ? new BodyCapture(Compare.Spec.MaxBodyBytes) : null;

    public void PrimaryDone(Answer? answer)
    {
        Primary = answer;
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static pair => pair.Judged(), this, preferLocal: false);
        }
    }

    public void MirrorDone(Answer? answer)
    {
        Mirror = answer;
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            Judged();
        }
    }

    private void Judged() => judge(this);
}
