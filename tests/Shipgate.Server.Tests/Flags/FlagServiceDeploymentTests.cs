using System.Globalization;
using System.Net;
using Shipgate.Delivery.Edge;
using Shipgate.Flags;
using Shipgate.Flags.Tests.Infrastructure;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Flags;

/// <summary>
/// A real .NET service reading its flags with <c>Shipgate.Flags.Client</c> (<c>samples/flag-service</c>), deployed by a
/// workflow through the real <c>shipgate up</c> and its edge, configured by nothing but what the edge gives it: it
/// follows flag changes made with <c>shipgate flag</c>, its answers are counted by the edge per variant, and a percentage rollout
/// reaches exactly the users the library puts in it.
/// </summary>
public sealed class FlagServiceDeploymentTests
{
    private const string Config = """
        environments:
          production:
            mode: deployment
            watch: 0s
        flags:
          new-checkout:
            type: boolean
            variants: { on: true, off: false }
            default-variant: off
            enabled: false
        """;

    private static readonly string[] Production = ["--project", "web", "--env", "production"];

    [Fact]
    public async Task FlagService_DeployedBehindTheEdge_FollowsFlagChangesAndTheEdgeCountsEachVariant()
    {
        using var repository = FlagServiceRepository.Create(Config);
        await using var up = await ShipgateUp.StartAsync();
        var version = await up.DeployAsync(repository);
        var answers = new List<(string User, HttpStatusCode Status, string Body, string? Header)>();

        // Off: everyone gets the old checkout. Then on for everyone, read by the service through its client.
        var off = await CheckoutAllAsync(up, Users("before", 20), answers);
        await FlagAsync(up, "rollout", "--percent", "100");
        await FlagAsync(up, "enable");
        await up.WaitForServiceFlagsAsync();
        var on = await CheckoutAllAsync(up, Users("on", 20), answers);
        await WaitForCountsAsync(up, version, off: 20, on: 20);

        // 50%: each user gets what the library says for the same document.
        await FlagAsync(up, "rollout", "--percent", "50");
        var library = await up.WaitForServiceFlagsAsync();
        var users = Users("half", 200);
        var half = await CheckoutAllAsync(up, users, answers);
        var expected = users
            .Select(user => library.EvaluateBoolean(FlagServiceRepository.CheckoutFlag, false, new FlagContext { TargetingKey = user }).Value)
            .Select(isOn => isOn ? "new checkout" : "old checkout")
            .ToList();
        var newAtHalf = expected.Count(e => e == "new checkout");
        var counts = await WaitForCountsAsync(up, version, off: 20 + users.Count - newAtHalf, on: 20 + newAtHalf);
        var noUser = await up.CheckoutAsync("");

        Assert.All(off, body => Assert.Equal("old checkout", body));
        Assert.All(on, body => Assert.Equal("new checkout", body));
        Assert.Equal(expected, half);
        Assert.InRange(newAtHalf, 60, 140);
        Assert.All(answers, answer => Assert.True(answer.Status == HttpStatusCode.OK && answer.Header is null,
            $"{answer.User}: {(int)answer.Status} {answer.Body}, X-Shipgate-Flags: {answer.Header}"));
        Assert.Equal((20 + users.Count - newAtHalf, 20 + newAtHalf), (counts.Off.Status2xx, counts.On.Status2xx));
        Assert.Equal((HttpStatusCode.BadRequest, "Say who is checking out: /checkout?user=ID."), (noUser.Status, noUser.Body));
    }

    [Fact]
    public async Task FlagService_BrokenCheckoutBehindAnotherFlag_FailsOnlyTheUsersItIsOnForAndTheEdgeCountsTheFailures()
    {
        using var repository = FlagServiceRepository.Create("""
            environments:
              production:
                mode: deployment
                watch: 0s
            flags:
              beta-checkout:
                type: boolean
                variants: { on: true, off: false }
                default-variant: off
                rules:
                  - targets: [alice]
                    variant: on
            """);
        await using var up = await ShipgateUp.StartAsync();
        var version = await up.DeployAsync(repository, variables: new Dictionary<string, string>
        {
            ["FLAG_POLL_MS"] = "200",
            ["CHECKOUT_FLAG"] = "beta-checkout",
            ["BROKEN_CHECKOUT"] = "1",
        });

        var alice = await up.CheckoutAsync("alice");
        var bob = await up.CheckoutAsync("bob");
        var counts = await EventuallyAsync(
            async () => await up.FlagCountsAsync(version) is { Count: 2 } flags && flags.All(f => f.Requests == 1) ? flags : null,
            "the edge to count both variants of beta-checkout");

        Assert.Equal((HttpStatusCode.InternalServerError, "new checkout failed"), (alice.Status, alice.Body));
        Assert.Equal((HttpStatusCode.OK, "old checkout"), (bob.Status, bob.Body));
        Assert.Equal(
            [("beta-checkout", "off", 1L, 1L, 0L), ("beta-checkout", "on", 1L, 0L, 1L)],
            counts.Select(f => (f.Key, f.Variant, f.Requests, f.Status2xx, f.Status5xx)).OrderBy(f => f.Variant, StringComparer.Ordinal));
    }

    [Fact]
    public async Task FlagService_WithoutTheFlagVariablesOrWithABadPollInterval_ExitsWithOneSentence()
    {
        var missing = await RunServiceAsync(new() { ["SHIPGATE_FLAGS_URL"] = "", ["SHIPGATE_FLAGS_KEY"] = "" });
        var badPoll = await RunServiceAsync(new()
        {
            ["SHIPGATE_FLAGS_URL"] = "http://127.0.0.1:9",
            ["SHIPGATE_FLAGS_KEY"] = "sgk_x",
            ["FLAG_POLL_MS"] = "soon",
        });

        Assert.Equal((2, ""), (missing.ExitCode, missing.Output));
        Assert.Equal(
            "flag-service: The flags URL must be an absolute http or https URL (set SHIPGATE_FLAGS_URL). "
            + "The flags key is missing (set SHIPGATE_FLAGS_KEY).\n",
            missing.Error);
        Assert.Equal(
            (2, "flag-service: FLAG_POLL_MS is 'soon'; it must be a whole number from 100 to 3600000.\n"),
            (badPoll.ExitCode, badPoll.Error));
    }

    private static List<string> Users(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => $"{prefix}-{i.ToString(CultureInfo.InvariantCulture)}")];

    /// <summary>Checks out every user once, in order; records each answer and returns the bodies.</summary>
    private static async Task<List<string>> CheckoutAllAsync(
        ShipgateUp up, List<string> users, List<(string User, HttpStatusCode Status, string Body, string? Header)> answers)
    {
        var bodies = new List<string>();
        foreach (var user in users)
        {
            var (status, body, header) = await up.CheckoutAsync(user);
            answers.Add((user, status, body, header));
            bodies.Add(body);
        }

        return bodies;
    }

    /// <summary>
    /// Waits for the release's new-checkout counters to reach <paramref name="off"/> and <paramref name="on"/> requests
    /// (the edge counts an answer after flushing it), then requires them to be exactly that.
    /// </summary>
    private static async Task<(EdgeFlagMetrics Off, EdgeFlagMetrics On)> WaitForCountsAsync(ShipgateUp up, string version, long off, long on)
    {
        var counts = await EventuallyAsync(async () =>
        {
            var flags = (await up.FlagCountsAsync(version)).Where(f => f.Key == FlagServiceRepository.CheckoutFlag).ToDictionary(f => f.Variant);
            return flags.TryGetValue("off", out var o) && flags.TryGetValue("on", out var n) && o.Requests >= off && n.Requests >= on
                ? new[] { o, n }
                : null;
        }, $"the edge to count {off} answers of new-checkout=off and {on} of new-checkout=on for {version}");
        Assert.Equal((off, on), (counts[0].Requests, counts[1].Requests));
        return (counts[0], counts[1]);
    }

    /// <summary><c>shipgate flag VERB new-checkout --project web --env production ...</c>, which must succeed.</summary>
    private static async Task FlagAsync(ShipgateUp up, string verb, params string[] options)
    {
        var result = await up.RunAsync(["flag", verb, FlagServiceRepository.CheckoutFlag, .. Production, .. options]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    /// <summary>Runs the built service with <paramref name="environment"/> (empty values unset the flag variables) until it exits.</summary>
    private static Task<(int ExitCode, string Output, string Error)> RunServiceAsync(Dictionary<string, string> environment)
    {
        environment["PORT"] = Ports.Free().ToString(CultureInfo.InvariantCulture);
        return ExternalProcess.RunAsync("dotnet", ["flag-service.dll"], FlagServiceRepository.BuildOutput, TestTimeouts.Default, environment);
    }
}
