namespace Shipgate.Server.Runs;

/// <summary>A run this server is executing: how to cancel it, and why it was cancelled; how to detach from it when the server stops.</summary>
internal sealed class RunningRun(CancellationTokenSource cancellation, long projectId = 0)
{
    /// <summary>
    /// Cancelled when the server stops cleanly: the engine stops the run's steps and records nothing more
    /// (<see cref="Engine.Runs.RunRequest.Detach"/>).
    /// </summary>
    public CancellationTokenSource Detach { get; } = new();

    public long ProjectId { get; } = projectId;

    public CancellationTokenSource Cancellation { get; } = cancellation;

    public string? CancelReason { get; set; }

    public Task? Task { get; set; }
}
