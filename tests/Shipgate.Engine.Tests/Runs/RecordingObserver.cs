using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Tests.Runs;

/// <summary>Keeps every event of a run, and checks that they come one at a time.</summary>
internal sealed class RecordingObserver : IRunObserver
{
    private readonly List<RunEvent> _events = [];
    private int _inside;

    /// <summary>Called when an event arrives (e.g. to cancel a run when a step starts).</summary>
    public Action<RunEvent>? OnEvent { get; init; }

    public IReadOnlyList<RunEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public bool OverlappingCalls { get; private set; }

    public ValueTask OnEventAsync(RunEvent runEvent, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _inside, 1) == 1)
        {
            OverlappingCalls = true;
        }

        lock (_events)
        {
            _events.Add(runEvent);
        }

        OnEvent?.Invoke(runEvent);
        Interlocked.Exchange(ref _inside, 0);
        return ValueTask.CompletedTask;
    }

    public IEnumerable<T> OfType<T>()
        where T : RunEvent => Events.OfType<T>();
}
