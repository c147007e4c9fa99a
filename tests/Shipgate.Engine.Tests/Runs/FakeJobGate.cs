using System.Collections.Concurrent;
using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Tests.Runs;

/// <summary>A job gate that answers with <see cref="Decide"/> and keeps every request and every job that left.</summary>
internal sealed class FakeJobGate : IJobGate
{
    public Func<JobGateRequest, CancellationToken, Task<JobGateDecision>> Decide { get; init; } = (_, _) => Task.FromResult(JobGateDecision.Pass());

    public ConcurrentQueue<JobGateRequest> Asked { get; } = new();

    public ConcurrentQueue<(JobGateRequest Request, JobRunResult Result)> Left { get; } = new();

    public Task<JobGateDecision> EnterAsync(JobGateRequest request, CancellationToken cancellationToken = default)
    {
        Asked.Enqueue(request);
        return Decide(request, cancellationToken);
    }

    public Task LeaveAsync(JobGateRequest request, JobRunResult result, CancellationToken cancellationToken = default)
    {
        Left.Enqueue((request, result));
        return Task.CompletedTask;
    }
}
