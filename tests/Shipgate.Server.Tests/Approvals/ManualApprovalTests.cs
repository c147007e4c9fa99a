using System.Text.Json;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Approvals;

public sealed class ManualApprovalTests
{
    private const string GatedWorkflow = """
        on: workflow_dispatch
        jobs:
          release:
            runs-on: ubuntu-latest
            steps:
              - uses: trstringer/manual-approval@v1
                with:
                  approvers: alice,carol
                  minimum-approvals: 1
                  exclude-workflow-initiator-as-approver: true
              - run: echo released
        """;

    [Fact]
    public async Task ManualApproval_ApprovedByAReviewer_RunWaitsThenSucceeds()
    {
        await using var fixture = await GatedFixture.StartAsync();

        var waiting = await fixture.WaitForPendingAsync();
        // The run is marked waiting before its approval is recorded: whoever finds the approval finds the run waiting.
        var run = await fixture.Server.GetRunAsync(waiting.Run);
        var stranger = await ShipgateProcess.RunAsync(["approve", waiting.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], ShipgateProcess.For(fixture.Server, fixture.Server.AdminToken));
        var approved = await ShipgateProcess.RunAsync(["approve", waiting.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--comment", "ship it"], ShipgateProcess.For(fixture.Server, fixture.Alice));
        var again = await ShipgateProcess.RunAsync(["approve", waiting.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], ShipgateProcess.For(fixture.Server, fixture.Carol));
        var done = await fixture.Server.WaitForCompletedRunAsync(waiting.Run);

        Assert.Equal("waiting", run.Run.Status);
        Assert.Equal(3, stranger.ExitCode);
        Assert.Contains("not a reviewer", stranger.Stderr, StringComparison.Ordinal);
        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.Equal(4, again.ExitCode);
        Assert.Equal("success", done.Conclusion);
    }

    [Fact]
    public async Task ManualApproval_Rejected_RunFailsAndListShowsTheDecision()
    {
        await using var fixture = await GatedFixture.StartAsync();
        var waiting = await fixture.WaitForPendingAsync();

        var noComment = await ShipgateProcess.RunAsync(["reject", waiting.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], ShipgateProcess.For(fixture.Server, fixture.Alice));
        var rejected = await ShipgateProcess.RunAsync(["reject", waiting.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--comment", "not today"], ShipgateProcess.For(fixture.Server, fixture.Alice));
        var done = await fixture.Server.WaitForCompletedRunAsync(waiting.Run);
        var list = await ShipgateProcess.RunAsync(["approvals", "list", "--json"], ShipgateProcess.For(fixture.Server, fixture.Bob));

        Assert.Equal(2, noComment.ExitCode);
        Assert.True(rejected.ExitCode == 0, rejected.ToString());
        Assert.Equal("failure", done.Conclusion);
        var approval = Assert.Single(JsonSerializer.Deserialize(list.Stdout, ApiJsonContext.Default.ApprovalResponseArray)!);
        Assert.Equal("rejected", approval.Status);
        Assert.Equal(["alice:rejected:not today"], approval.Decisions.Select(d => $"{d.User}:{d.Decision}:{d.Comment}"));
    }

    [Fact]
    public async Task ManualApproval_InitiatorExcluded_SelfApprovalIs403WithTheReason()
    {
        await using var fixture = await GatedFixture.StartAsync(dispatchAs: "alice");
        var waiting = await fixture.WaitForPendingAsync();

        var self = await ShipgateProcess.RunAsync(["approve", waiting.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], ShipgateProcess.For(fixture.Server, fixture.Alice));
        var other = await ShipgateProcess.RunAsync(["approve", waiting.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], ShipgateProcess.For(fixture.Server, fixture.Carol));

        Assert.Equal(3, self.ExitCode);
        Assert.Contains("alice cannot approve", self.Stderr, StringComparison.Ordinal);
        Assert.True(other.ExitCode == 0, other.ToString());
        Assert.Equal("success", (await fixture.Server.WaitForCompletedRunAsync(waiting.Run)).Conclusion);
    }

    private sealed class GatedFixture : IAsyncDisposable
    {
        private readonly TestRepository _repository;

        private GatedFixture(TestRepository repository, RunningServer server, string alice, string bob, string carol)
        {
            _repository = repository;
            Server = server;
            Alice = alice;
            Bob = bob;
            Carol = carol;
        }

        public RunningServer Server { get; }

        public string Alice { get; }

        public string Bob { get; }

        public string Carol { get; }

        public static async Task<GatedFixture> StartAsync(string dispatchAs = "bob")
        {
            var repository = new TestRepository();
            repository.Write(".github/workflows/gated.yml", GatedWorkflow);
            repository.Commit("gated");
            var server = await RunningServer.StartAsync();
            await server.AddProjectAsync("web", repository.Root);
            var alice = await server.CreateUserAsync("alice", "approver");
            var bob = await server.CreateUserAsync("bob", "approver");
            var carol = await server.CreateUserAsync("carol", "approver");
            await server.DispatchAsync("web", "gated.yml", token: dispatchAs == "alice" ? alice : bob);
            return new GatedFixture(repository, server, alice, bob, carol);
        }

        public Task<ApprovalResponse> WaitForPendingAsync() =>
            EventuallyAsync(async () =>
            {
                using var client = Server.AdminClient();
                var approvals = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync(client, "/api/v1/approvals?status=pending", ApiJsonContext.Default.ApprovalResponseArray, Ct);
                return approvals?.FirstOrDefault();
            }, "a pending approval");

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            _repository.Dispose();
        }
    }
}
