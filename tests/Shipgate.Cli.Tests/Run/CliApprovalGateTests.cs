using Shipgate.Cli.Run;
using Shipgate.Engine.Actions;

namespace Shipgate.Cli.Tests.Run;

public sealed class CliApprovalGateTests
{
    private static ApprovalRequest Request(int minimum = 1, bool excludeInitiator = false) =>
        new("Deploy to production", "Release 1.2.3", ["alice", "bob"], minimum, excludeInitiator, Initiator: "bob", RunId: "1", JobId: "approval");

    private static Task<ApprovalDecision> Decide(IReadOnlyList<string> approveAs, ApprovalRequest request, bool interactive = false, string input = "") =>
        new CliApprovalGate(approveAs, interactive, new StringReader(input), TextWriter.Null).RequestAsync(request).WaitAsync(TimeSpan.FromSeconds(10));

    [Fact]
    public async Task RequestAsync_ApproveAsAnApprover_Approves()
    {
        var decision = await Decide(["Alice"], Request());
        Assert.True(decision.Approved);
        Assert.Equal(["Alice"], decision.DecidedBy);
    }

    [Fact]
    public async Task RequestAsync_ApproveAsSomeoneElse_DeniesNamingTheApprovers()
    {
        var decision = await Decide(["mallory"], Request());
        Assert.False(decision.Approved);
        Assert.Equal("mallory is not one of the approvers (alice, bob)", decision.Reason);
    }

    [Fact]
    public async Task RequestAsync_InitiatorExcluded_DeniesTheInitiator()
    {
        var decision = await Decide(["bob"], Request(excludeInitiator: true));
        Assert.False(decision.Approved);
        Assert.Contains("started the run", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestAsync_DefaultMinimum_NeedsEveryApprover()
    {
        Assert.False((await Decide(["alice"], Request(minimum: 0))).Approved);
        Assert.True((await Decide(["alice", "bob"], Request(minimum: 0))).Approved);
    }

    [Fact]
    public async Task RequestAsync_NoTerminalAndNoApproveAs_DeniesSayingHowToApprove()
    {
        var decision = await Decide([], Request());
        Assert.False(decision.Approved);
        Assert.Contains("--approve-as", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestAsync_Terminal_AsksUntilAnApproverAnswers()
    {
        var decision = await Decide([], Request(), interactive: true, input: "mallory\nalice\n");
        Assert.True(decision.Approved);
        Assert.Equal(["alice"], decision.DecidedBy);
    }

    [Fact]
    public async Task RequestAsync_TerminalEmptyAnswer_Rejects()
    {
        var decision = await Decide([], Request(), interactive: true, input: "\n");
        Assert.False(decision.Approved);
    }
}
