using Shipgate.Engine.Runs;
using Shipgate.Storage.Approvals;
using Shipgate.Storage.Audit;
using Shipgate.Storage.Deployments;
using Shipgate.Storage.Projects;
using Shipgate.Storage.Runs;
using Shipgate.Storage.Tests.Infrastructure;
using Shipgate.Storage.Triggers;
using Shipgate.Storage.Users;

namespace Shipgate.Storage.Tests.Database;

/// <summary>SQL-like strings in every text field are stored and read back verbatim: every value is a parameter.</summary>
public abstract class VerbatimTextTests(StoreTarget target) : StoreTests(target)
{
    private const string Hostile = "x'); DROP TABLE runs; -- \" OR 1=1 /* $1 @id :name ? \\ ' ; ünï 🚀";

    [Fact]
    public async Task EveryTextField_SqlLikeString_RoundTripsVerbatim()
    {
        Assert.Equal(Target.Provider, Store.Provider);
        var project = (await Store.Projects.CreateAsync(new NewProject { Name = S("project"), Repository = S("repo"), DefaultBranch = S("branch"), WebhookSecret = S("hook") }, cancellationToken: Cancel).DefaultTimeout())!;
        Assert.Equal((S("project"), S("repo"), S("branch")), (project.Name, project.Repository, project.DefaultBranch));
        Assert.Equal(project, await Store.Projects.GetByNameAsync(S("project"), Cancel).DefaultTimeout());
        Assert.Equal(S("hook"), await Store.Projects.GetWebhookSecretAsync(project.Id, Cancel).DefaultTimeout());

        var run = await Store.Runs.CreateRunAsync(new NewRun
        {
            ProjectId = project.Id,
            WorkflowPath = S("path"),
            WorkflowName = S("workflow"),
            Event = S("event"),
            Ref = S("ref"),
            Sha = S("sha"),
            Actor = S("actor"),
            Initiator = S("initiator"),
            Inputs = new Dictionary<string, string> { [S("input")] = S("value") },
            ConcurrencyGroup = S("group"),
        }, Cancel).DefaultTimeout();
        var readRun = (await Store.Runs.GetRunAsync(run.Id, Cancel).DefaultTimeout())!;
        Assert.Equal(
            (S("path"), S("workflow"), S("event"), S("ref"), S("sha"), S("actor"), S("initiator"), S("group"), S("value")),
            (readRun.WorkflowPath, readRun.WorkflowName, readRun.Event, readRun.Ref, readRun.Sha, readRun.Actor, readRun.Initiator, readRun.ConcurrencyGroup, readRun.Inputs[S("input")]));
        Assert.Single(await Store.Runs.ListRunsAsync(new RunQuery { ConcurrencyGroup = S("group") }, Cancel).DefaultTimeout());
        Assert.Single(await Store.Runs.ListRunsAsync(new RunQuery { Sha = S("sha") }, Cancel).DefaultTimeout());

        await Store.Runs.AppendEventAsync(run.Id, S("kind"), S("payload"), Cancel).DefaultTimeout();
        var stored = Assert.Single(await Store.Runs.ListEventsAsync(run.Id, cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal((S("kind"), S("payload")), (stored.Kind, stored.PayloadJson));

        var job = (await Store.Runs.AddJobAsync(new NewJob { RunId = run.Id, Key = S("key"), JobId = S("job"), Name = S("name"), Environment = S("env"), MatrixJson = S("matrix") }, Cancel).DefaultTimeout())!;
        await Store.Runs.TryCompleteJobAsync(job.Id, RunStatus.Queued, new JobCompletion { Outcome = Conclusion.Failure, Conclusion = Conclusion.Failure, Reason = S("reason"), Outputs = new Dictionary<string, string> { [S("out")] = S("put") } }, Cancel).DefaultTimeout();
        var readJob = (await Store.Runs.GetJobAsync(run.Id, S("key"), Cancel).DefaultTimeout())!;
        Assert.Equal((S("job"), S("name"), S("env"), S("matrix"), S("reason"), S("put")), (readJob.JobId, readJob.Name, readJob.Environment, readJob.MatrixJson, readJob.Reason, readJob.Outputs[S("out")]));

        var recorder = Store.Runs.CreateRecorder(run.Id, runner: S("runner"));
        await recorder.OnEventAsync(new JobStartedEvent { RunId = "", Sequence = 1, Timestamp = default, JobKey = S("key2"), JobId = S("job2"), Name = S("name2") }, Cancel).AsTask().DefaultTimeout();
        await recorder.OnEventAsync(new StepStartedEvent { RunId = "", Sequence = 2, Timestamp = default, JobKey = S("key2"), StepNumber = 1, StepId = S("step"), Name = S("stepname"), LogPath = S("log") }, Cancel).AsTask().DefaultTimeout();
        var job2 = (await Store.Runs.GetJobAsync(run.Id, S("key2"), Cancel).DefaultTimeout())!;
        var step = Assert.Single(await Store.Runs.ListStepsAsync(job2.Id, Cancel).DefaultTimeout());
        Assert.Equal((S("runner"), S("step"), S("stepname"), S("log")), (job2.Runner, step.StepId, step.Name, step.LogPath));

        await Store.Runs.RecordArtifactAsync(run.Id, S("artifact"), S("digest"), 1, S("key"), Cancel).DefaultTimeout();
        var artifact = Assert.Single(await Store.Runs.ListArtifactsAsync(run.Id, Cancel).DefaultTimeout());
        Assert.Equal((S("artifact"), S("digest"), S("key")), (artifact.Name, artifact.Digest, artifact.JobKey));

        var approval = await Store.Approvals.RequestAsync(new NewApproval
        {
            RunId = run.Id,
            ProjectId = project.Id,
            Kind = ApprovalKind.Environment,
            Environment = S("env"),
            JobKey = S("key"),
            Title = S("title"),
            Body = S("body"),
            Reviewers = [S("reviewer"), "team:" + S("team")],
            Initiator = S("initiator"),
        }, cancellationToken: Cancel).DefaultTimeout();
        var readApproval = (await Store.Approvals.GetAsync(approval.Id, Cancel).DefaultTimeout())!;
        Assert.Equal((S("env"), S("key"), S("title"), S("body"), S("initiator")), (readApproval.Environment, readApproval.JobKey, readApproval.Title, readApproval.Body, readApproval.Initiator));
        Assert.Equal([S("reviewer"), "team:" + S("team")], readApproval.Reviewers);
        await Store.Approvals.AddDecisionAsync(approval.Id, S("user"), ApprovalDecision.Approved, S("comment"), cancellationToken: Cancel).DefaultTimeout();
        var decision = Assert.Single(await Store.Approvals.ListDecisionsAsync(approval.Id, Cancel).DefaultTimeout());
        Assert.Equal((S("user"), S("comment")), (decision.User, decision.Comment));

        var environment = await Store.Deployments.UpsertEnvironmentAsync(project.Id, S("env"), S("sha"), S("config"), cancellationToken: Cancel).DefaultTimeout();
        Assert.Equal(environment, await Store.Deployments.GetEnvironmentAsync(project.Id, S("env"), Cancel).DefaultTimeout());
        Assert.Equal((S("env"), S("sha"), S("config")), (environment.Name, environment.CommitSha, environment.ConfigJson));
        var release = await Store.Deployments.GetOrCreateReleaseAsync(new NewRelease { ProjectId = project.Id, Service = S("service"), Version = S("version"), ArtifactDigest = S("digest"), CommitSha = S("sha") }, Cancel).DefaultTimeout();
        Assert.Equal(release, await Store.Deployments.GetReleaseAsync(release.Id, Cancel).DefaultTimeout());
        Assert.Equal((S("service"), S("version"), S("digest"), S("sha")), (release.Service, release.Version, release.ArtifactDigest, release.CommitSha));
        var deployment = await Store.Deployments.CreateDeploymentAsync(new NewDeployment { ReleaseId = release.Id, Environment = S("env"), Strategy = S("strategy"), RunId = run.Id, JobKey = S("key") }, cancellationToken: Cancel).DefaultTimeout();
        await Store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing, S("why"), cancellationToken: Cancel).DefaultTimeout();
        var readDeployment = (await Store.Deployments.GetActiveDeploymentAsync(project.Id, S("service"), S("env"), Cancel).DefaultTimeout())!;
        Assert.Equal((S("env"), S("strategy"), S("key"), S("why")), (readDeployment.Environment, readDeployment.Strategy, readDeployment.JobKey, readDeployment.Reason));
        var gate = await Store.Deployments.RecordGateDecisionAsync(new NewGateDecision { DeploymentId = deployment.Id, JobKey = S("key"), Gate = S("gate"), Result = GateResult.Pass, Reason = S("reason"), NumbersJson = S("numbers") }, Cancel).DefaultTimeout();
        Assert.Equal([gate], await Store.Deployments.ListGateDecisionsForDeploymentAsync(deployment.Id, Cancel).DefaultTimeout());
        Assert.Equal((S("key"), S("gate"), S("reason"), S("numbers")), (gate.JobKey, gate.Gate, gate.Reason, gate.NumbersJson));
        var snapshot = await Store.Deployments.RecordMetricSnapshotAsync(new NewMetricSnapshot { DeploymentId = deployment.Id, Version = S("version"), WindowStart = StoredNow, WindowEnd = StoredNow, CountsJson = S("counts") }, Cancel).DefaultTimeout();
        Assert.Equal([snapshot], await Store.Deployments.ListMetricSnapshotsAsync(deployment.Id, Cancel).DefaultTimeout());

        var user = (await Store.Users.CreateUserAsync(new NewUser { Name = S("user"), Role = UserRole.Admin, Emails = [S("email")], Environments = [S("env")] }, cancellationToken: Cancel).DefaultTimeout())!;
        var readUser = (await Store.Users.FindUserByEmailAsync(S("email"), Cancel).DefaultTimeout())!;
        Assert.Equal((S("user"), S("email").ToLowerInvariant(), S("env")), (readUser.Name, Assert.Single(readUser.Emails), Assert.Single(readUser.Environments)));
        var token = await Store.Users.CreateTokenAsync(user.Id, S("token"), cancellationToken: Cancel).DefaultTimeout();
        Assert.Equal(S("token"), Assert.Single(await Store.Users.ListTokensAsync(user.Id, Cancel).DefaultTimeout()).Name);
        Assert.Null(await Store.Users.AuthenticateAsync(Hostile, Cancel).DefaultTimeout());
        Assert.NotNull(await Store.Users.AuthenticateAsync(token.Token, Cancel).DefaultTimeout());
        await Store.Users.CreateTeamAsync(S("team"), cancellationToken: Cancel).DefaultTimeout();
        await Store.Users.AddTeamMemberAsync(S("team"), S("user"), cancellationToken: Cancel).DefaultTimeout();
        Assert.Equal([S("user")], await Store.Users.ListTeamMembersAsync(S("team"), Cancel).DefaultTimeout());

        await Store.Secrets.SetSecretAsync(project.Id, S("env"), S("secret"), S("value"), cancellationToken: Cancel).DefaultTimeout();
        await Store.Secrets.SetVariableAsync(project.Id, S("env"), S("variable"), S("value"), cancellationToken: Cancel).DefaultTimeout();
        Assert.Equal(S("value"), (await Store.Secrets.GetSecretsAsync(project.Id, S("env"), Cancel).DefaultTimeout())[S("secret")]);
        Assert.Equal(S("value"), (await Store.Secrets.GetVariablesAsync(project.Id, S("env"), Cancel).DefaultTimeout())[S("variable")]);

        var entry = await Store.Audit.AppendAsync(new NewAuditEntry { Actor = S("actor"), Action = S("action"), Target = S("target"), Reason = S("reason"), BeforeJson = S("before"), AfterJson = S("after") }, Cancel).DefaultTimeout();
        Assert.Equal([entry], await Store.Audit.ListAsync(cancellationToken: Cancel).DefaultTimeout());
        Assert.True((await Store.Audit.VerifyChainAsync(Cancel).DefaultTimeout()).IsValid);

        var delivery = new WebhookDelivery(S("delivery"), project.Id, S("event"), S("digest"));
        Assert.Equal(WebhookDeliveryStatus.New, (await Store.Triggers.RecordWebhookDeliveryAsync(delivery, [], TimeSpan.FromDays(7), Cancel).DefaultTimeout()).Status);
        Assert.Equal(WebhookDeliveryStatus.Redelivered, (await Store.Triggers.RecordWebhookDeliveryAsync(delivery, [], TimeSpan.FromDays(7), Cancel).DefaultTimeout()).Status);
        Assert.True(await Store.Triggers.TryRecordScheduleFireAsync(project.Id, S("path"), S("cron"), StoredNow, Cancel).DefaultTimeout());
        Assert.Equal(StoredNow, await Store.Triggers.GetLastScheduleFireAsync(project.Id, S("path"), S("cron"), Cancel).DefaultTimeout());

        // Nothing was executed: every table is still there with its rows.
        Assert.Equal(1L, Convert.ToInt64(await ScalarRawAsync("SELECT COUNT(*) FROM runs")));
        Assert.Equal(1L, Convert.ToInt64(await ScalarRawAsync("SELECT COUNT(*) FROM users")));
    }

    private static string S(string field) => field + Hostile;

    public sealed class OnSqlite() : VerbatimTextTests(new SqliteStoreTarget());

    public sealed class OnPostgres(PostgresServer server) : VerbatimTextTests(new PostgresStoreTarget(server));
}
