using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Time.Testing;
using Shipgate.Server.Insights;
using Shipgate.Storage;
using Shipgate.Storage.Approvals;
using Shipgate.Storage.Deployments;
using Shipgate.Storage.Runs;
using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Benchmarks;

/// <summary>
/// Delivery insights over 10,000 deployments (issue 11: at most 500 ms). The store is seeded through its own API on a fake
/// clock: 10,000 deployments over 90 days of 20 services to 3 environments, one every 13 minutes, of which about 8% fail,
/// 5% are canaries rolled back and 3% are <c>shipgate rollback</c>s; every fifth production deployment waits for an
/// approval (about 670, decided by one of 5 reviewers within 1 to 4 minutes; a dozen left waiting). <c>Compute</c> is the
/// whole query (every project and environment, the 90 days); <c>ComputeProduction</c> is one environment.
/// Run: <c>dotnet run -c Release --project bench/Shipgate.Benchmarks -- --filter '*InsightsBenchmarks*' --job short --inProcess</c>.
/// </summary>
public class InsightsBenchmarks
{
    private const int Deployments = 10_000;
    private const int Services = 20;
    private static readonly string[] Environments = ["staging", "canary", "production"];
    private static readonly string[] Reviewers = ["alice", "bob", "carol", "dan", "erin"];
    private static readonly DateTimeOffset Start = new(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);

    private PostgresServer? _postgres;
    private string _dataDirectory = null!;
    private ShipgateStore _store = null!;
    private DeliveryInsights _insights = null!;
    private InsightsPeriod _period = null!;

    [Params("sqlite", "postgres")]
    public string Store { get; set; } = "sqlite";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _dataDirectory = Directory.CreateTempSubdirectory("shipgate-bench-insights-").FullName;
        string? connection = null;
        if (Store == "postgres")
        {
            _postgres = new PostgresServer(durable: true);
            await _postgres.InitializeAsync();
            connection = await _postgres.CreateSchemaAsync();
        }

        var time = new FakeTimeProvider(Start);
        _store = await ShipgateStore.OpenAsync(new StoreOptions
        {
            DataDirectory = _dataDirectory,
            ConnectionString = connection,
            SqliteSynchronous = SqliteSynchronous.Normal,
            TimeProvider = time,
        });
        await SeedAsync(_store, time);
        _insights = new DeliveryInsights(time);
        _period = new InsightsPeriod(Start, time.GetUtcNow());
        var check = await ComputeAsync();
        Console.WriteLine($"// seeded: {check.Overall.Deployments} deployments, {check.Overall.ChangeFailRate?.Count} change failures, "
            + $"{check.Overall.ReworkRate?.Count} rework, {check.Approvals.Overall.Decided} approvals decided, {check.Approvals.Overall.WaitingNow} waiting");
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Benchmark]
    public Task<Server.Api.InsightsResponse> Compute() => ComputeAsync();

    [Benchmark]
    public Task<Server.Api.InsightsResponse> ComputeProduction() => _insights.ComputeAsync(_store, null, null, "production", _period);

    private Task<Server.Api.InsightsResponse> ComputeAsync() => _insights.ComputeAsync(_store, null, null, null, _period);

    private static async Task SeedAsync(ShipgateStore store, FakeTimeProvider time)
    {
        var random = new Random(11);
        var project = (await store.Projects.CreateAsync(new() { Name = "shop", Repository = "/bench/shop" }))!;
        var step = TimeSpan.FromDays(90) / Deployments;
        var lastRelease = new Dictionary<(int, string), ReleaseRecord>();
        var pending = 0;
        for (var k = 0; k < Deployments; k++)
        {
            var at = Start + (k * step);
            var service = k % Services;
            var environment = Environments[k / Services % Environments.Length];
            var roll = random.NextDouble();
            var rollback = roll < 0.03 && lastRelease.ContainsKey((service, environment));
            var release = rollback
                ? lastRelease[(service, environment)]
                : await store.Deployments.GetOrCreateReleaseAsync(new NewRelease
                {
                    ProjectId = project.Id,
                    Service = $"svc-{service}",
                    Version = $"1.0.{k}",
                    ArtifactDigest = $"sha256:{k:x8}",
                    CommitSha = $"{k:x40}",
                    CommittedAt = at - TimeSpan.FromMinutes(10 + random.Next(3 * 24 * 60)),
                });
            time.SetUtcNow(at);
            long? approval = null;
            if (environment == "production" && k % 5 == 0)
            {
                var run = await store.Runs.CreateRunAsync(new NewRun
                {
                    ProjectId = project.Id,
                    WorkflowPath = "delivery.yml",
                    WorkflowName = "delivery",
                    Event = "push",
                    Ref = "refs/heads/main",
                    Sha = release.CommitSha,
                    Actor = "dev",
                });
                approval = (await store.Approvals.RequestAsync(new NewApproval
                {
                    RunId = run.Id,
                    ProjectId = project.Id,
                    Kind = ApprovalKind.Environment,
                    Environment = environment,
                    Title = "Deploy",
                    Reviewers = Reviewers,
                    Initiator = "dev",
                })).Id;
            }

            var strategy = rollback ? DeliveryInsights.RollbackStrategy : roll < 0.08 ? "canary" : "rolling";
            var deployment = await store.Deployments.CreateDeploymentAsync(
                new NewDeployment { ReleaseId = release.Id, Environment = environment, Strategy = strategy });
            await store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing);
            if (approval is { } id)
            {
                if (k >= Deployments - 200 && pending < 20)
                {
                    pending++;
                }
                else
                {
                    time.SetUtcNow(at + TimeSpan.FromMinutes(1 + random.Next(4)));
                    var decision = random.NextDouble() < 0.9 ? ApprovalDecision.Approved : ApprovalDecision.Rejected;
                    await store.Approvals.AddDecisionAsync(id, Reviewers[random.Next(Reviewers.Length)], decision);
                    await store.Approvals.TryCompleteAsync(id, decision == ApprovalDecision.Approved ? ApprovalStatus.Approved : ApprovalStatus.Rejected);
                }
            }

            time.SetUtcNow(at + TimeSpan.FromMinutes(5));
            var end = rollback ? DeploymentStatus.Succeeded
                : roll < 0.08 ? DeploymentStatus.RolledBack
                : roll < 0.16 ? DeploymentStatus.Failed
                : DeploymentStatus.Succeeded;
            await store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Progressing, end);
            if (end == DeploymentStatus.Succeeded && !rollback)
            {
                lastRelease[(service, environment)] = release;
            }
        }
    }
}
