using System.Threading.Channels;
using Shipgate.Engine.Masking;

namespace Shipgate.Engine.Runs;

/// <summary>
/// Hands a run's events to its observer one at a time, in order, numbering them. State changes are
/// awaited until the observer has taken them; output lines are queued (bounded, so a step that prints
/// faster than the observer takes lines waits instead of growing memory). Every event is masked with the
/// run's masker here, where the engine creates it, so every observer gets masked data. Once the host detached
/// (<see cref="RunRequest.Detach"/>), events are dropped: the host no longer records the run.
/// </summary>
internal sealed class RunEventPublisher : IAsyncDisposable
{
    private readonly IRunObserver _observer;
    private readonly SecretMasker _masker;
    private readonly CancellationToken _detached;
    private readonly Channel<Entry> _queue = Channel.CreateBounded<Entry>(new BoundedChannelOptions(4096) { SingleReader = true });
    private readonly Task _pump;
    private readonly Lock _sequenceLock = new();
    private long _sequence;

    public RunEventPublisher(IRunObserver observer, string runId, TimeProvider timeProvider, SecretMasker masker, CancellationToken detached)
    {
        _observer = observer;
        _masker = masker;
        _detached = detached;
        RunId = runId;
        TimeProvider = timeProvider;
        _pump = Task.Run(PumpAsync, CancellationToken.None);
    }

    public string RunId { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>Publishes a state change and waits until the observer has handled it.</summary>
    public async Task PublishAsync(Func<long, DateTimeOffset, RunEvent> create, CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await EnqueueAsync(create, done, cancellationToken).ConfigureAwait(false);

        // The observer's own work is not cancelled by the run's token: a state change is recorded even while the run is cancelled.
        await done.Task.ConfigureAwait(false);
    }

    /// <summary>Queues an output event without waiting for the observer (blocks while the queue is full).</summary>
    public void Post(Func<long, DateTimeOffset, RunEvent> create)
    {
        Entry entry;
        lock (_sequenceLock)
        {
            entry = new Entry(create(++_sequence, TimeProvider.GetUtcNow()).Mask(_masker), null);
            if (_queue.Writer.TryWrite(entry))
            {
                return;
            }
        }

        // Full: wait outside the lock would reorder events, so wait inside; the pump does not take the lock.
        lock (_sequenceLock)
        {
            _queue.Writer.WriteAsync(entry).AsTask().GetAwaiter().GetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
    }

    private async Task EnqueueAsync(Func<long, DateTimeOffset, RunEvent> create, TaskCompletionSource done, CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (_sequenceLock)
            {
                var runEvent = create(_sequence + 1, TimeProvider.GetUtcNow()).Mask(_masker);
                if (_queue.Writer.TryWrite(new Entry(runEvent, done)))
                {
                    _sequence++;
                    return;
                }
            }

            await _queue.Writer.WaitToWriteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PumpAsync()
    {
        await foreach (var entry in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (!_detached.IsCancellationRequested)
                {
                    await _observer.OnEventAsync(entry.Event).ConfigureAwait(false);
                }

                entry.Done?.TrySetResult();
            }
            catch (Exception ex)
            {
                // An observer that throws is a bug of the host; the engine reports it where it waits.
                entry.Done?.TrySetException(ex);
            }
        }
    }

    private sealed record Entry(RunEvent Event, TaskCompletionSource? Done);
}
