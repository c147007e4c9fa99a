using System.Collections.Concurrent;

namespace Shipgate.Server.Deployments;

/// <summary>
/// The in-process wake-up of running rollouts: a verb recorded in the store for a deployment signals it, so the rollout
/// takes it at once rather than at its next look. The store is the truth; a lost signal costs only a look's delay.
/// </summary>
internal sealed class RolloutSignals
{
    private readonly ConcurrentDictionary<long, SemaphoreSlim> _signals = new();

    public SemaphoreSlim For(long deploymentId) => _signals.GetOrAdd(deploymentId, static _ => new SemaphoreSlim(0, 1));

    public void Signal(long deploymentId)
    {
        if (_signals.TryGetValue(deploymentId, out var signal) && signal.CurrentCount == 0)
        {
            try
            {
                signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Signalled twice at once: one wake-up is enough.
            }
        }
    }

    public void Forget(long deploymentId)
    {
        if (_signals.TryRemove(deploymentId, out var signal))
        {
            signal.Dispose();
        }
    }
}
