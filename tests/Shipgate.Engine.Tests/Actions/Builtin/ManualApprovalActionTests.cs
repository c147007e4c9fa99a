using Shipgate.Engine.Actions;
using Shipgate.Engine.Actions.Builtin;
using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Tests.Actions.Builtin;

public sealed class ManualApprovalActionTests : IDisposable
{
    private readonly FakeActionContext _context = new();

    public ManualApprovalActionTests()
    {
        _context.With("approvers", "alice, bob ,acme/release-managers").With("issue-title", "Deploy v1.2 to production").With("issue-body", "Ship it?");
        _context.Actor = "alice";
        _context.RunId = "42";
    }

    public void Dispose() => _context.Dispose();

    private Task<ActionResult> RunAsync() =>
        new ManualApprovalAction().RunAsync(_context, TestContext.Current.CancellationToken).DefaultTimeout();

    [Fact]
    public async Task Run_Approved_SucceedsAndPassesTheRequestOn()
    {
        var gate = new FakeApprovalGate(new ApprovalDecision(true, ["bob"], "Looks good."));
        _context.AddService<IApprovalGate>(gate);

        var result = await RunAsync();

        Assert.Equal(Conclusion.Success, result.Conclusion);
        var request = Assert.Single(gate.Requests);
        Assert.Equal("Deploy v1.2 to production", request.Title);
        Assert.Equal("Ship it?", request.Body);
        Assert.Equal(["alice", "bob", "acme/release-managers"], request.Approvers);
        Assert.Equal(3, request.MinimumApprovals);
        Assert.Equal("alice", request.Initiator);
        Assert.Equal("42", request.RunId);
        Assert.Equal("build", request.JobId);
    }

    [Fact]
    public async Task Run_Denied_FailsWithTheReason()
    {
        _context.AddService<IApprovalGate>(new FakeApprovalGate(new ApprovalDecision(false, ["bob"], "not during the freeze")));

        var result = await RunAsync();

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        Assert.Equal("The approval was denied by bob: not during the freeze", result.Message);
    }

    [Fact]
    public async Task Run_NoGate_FailsSayingHowToApprove()
    {
        var result = await RunAsync();

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        Assert.Contains("terminal", result.Message, StringComparison.Ordinal);
        Assert.Contains("--approve-as", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ExcludeInitiator_RemovesThemFromTheApprovers()
    {
        var gate = new FakeApprovalGate(new ApprovalDecision(true, ["bob"], ""));
        _context.AddService<IApprovalGate>(gate);
        _context.With("exclude-workflow-initiator-as-approver", "true").With("minimum-approvals", "1");

        await RunAsync();

        var request = Assert.Single(gate.Requests);
        Assert.Equal(["bob", "acme/release-managers"], request.Approvers);
        Assert.True(request.ExcludeInitiator);
        Assert.Equal(1, request.MinimumApprovals);
    }

    [Fact]
    public async Task Run_MoreApprovalsThanApprovers_Fails()
    {
        _context.AddService<IApprovalGate>(new FakeApprovalGate(new ApprovalDecision(true, [], "")));
        _context.With("minimum-approvals", "5");

        var result = await RunAsync();

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        Assert.Contains("minimum-approvals is 5", result.Message, StringComparison.Ordinal);
    }

    private sealed class FakeApprovalGate(ApprovalDecision decision) : IApprovalGate
    {
        public List<ApprovalRequest> Requests { get; } = [];

        public Task<ApprovalDecision> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
        {
            Requests.Add(request);
            return Task.FromResult(decision);
        }
    }
}
