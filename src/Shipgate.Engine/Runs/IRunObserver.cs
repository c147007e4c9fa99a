namespace Shipgate.Engine.Runs;

/// <summary>
/// Receives a run's events in order: the CLI renders them, the server persists and streams them.
/// The engine never calls an observer concurrently, and awaits each state change (run, job and step
/// started or finished) before it goes on, so an observer that persists it makes it durable before
/// it is acted on. Output lines are delivered in order too, but the engine does not wait for each.
/// </summary>
public interface IRunObserver
{
    ValueTask OnEventAsync(RunEvent runEvent, CancellationToken cancellationToken = default);
}
