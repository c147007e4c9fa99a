using Shipgate.Delivery.Analysis;

namespace Shipgate.Delivery.Tests.Analysis;

/// <summary>A command runner that runs nothing: it records what it was asked and answers <see cref="Result"/>.</summary>
public sealed class FakeCommandRunner : IAnalysisCommandRunner
{
    public AnalysisCommandResult Result { get; set; } = new(0, false, null);

    public List<(CanarySubject Subject, string Command, TimeSpan Timeout)> Calls { get; } = [];

    public Task<AnalysisCommandResult> RunAsync(CanarySubject subject, string command, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Calls.Add((subject, command, timeout));
        return Task.FromResult(Result);
    }
}
