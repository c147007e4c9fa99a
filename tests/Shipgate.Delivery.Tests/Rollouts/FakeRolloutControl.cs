using System.Threading.Channels;
using Shipgate.Delivery.Analysis;
using Shipgate.Delivery.Rollouts;

namespace Shipgate.Delivery.Tests.Rollouts;

/// <summary>
/// A rollout's control held in memory: the verbs a test gives (<see cref="Give"/>, or <see cref="OnReport"/> when the
/// rollout reaches a state), and every progress report and recorded decision.
/// </summary>
public sealed class FakeRolloutControl : IRolloutControl
{
    private readonly Channel<RolloutCommand> _verbs = Channel.CreateUnbounded<RolloutCommand>();

    public List<CanaryProgress> Reports { get; } = [];

    public List<(int Step, AnalysisDecision Decision)> Decisions { get; } = [];

    /// <summary>Called with each report; a verb it returns is given at once.</summary>
    public Func<CanaryProgress, RolloutCommand?>? OnReport { get; set; }

    public void Give(RolloutVerb verb, string actor = "alice") => _verbs.Writer.TryWrite(new RolloutCommand(verb, actor));

    public async Task<RolloutCommand?> WaitAsync(TimeSpan delay, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(delay);
        try
        {
            return await _verbs.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public Task ReportAsync(CanaryProgress progress, CancellationToken cancellationToken = default)
    {
        lock (Reports)
        {
            Reports.Add(progress);
        }

        if (OnReport?.Invoke(progress) is { } command)
        {
            _verbs.Writer.TryWrite(command);
        }

        return Task.CompletedTask;
    }

    public Task RecordAsync(int step, AnalysisDecision decision, CancellationToken cancellationToken = default)
    {
        lock (Decisions)
        {
            Decisions.Add((step, decision));
        }

        return Task.CompletedTask;
    }
}
