namespace Shipgate.Server.Runs;

/// <summary>A run this server is executing: how to cancel it, and why it was cancelled.</summary>
internal sealed class RunningRun(CancellationTokenSource cancellation)
{
    public CancellationTokenSource Cancellation { get; } = cancellation;

    public string? CancelReason { get; set; }

    public Task? Task { get; set; }
}
