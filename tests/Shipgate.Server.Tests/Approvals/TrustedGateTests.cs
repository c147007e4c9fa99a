using System.Globalization;
using System.Text;
using System.Text.Json;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;
using Shipgate.Server.Triggers;

namespace Shipgate.Server.Tests.Approvals;

/// <summary>
/// The attacks of issue 7 on environment gates and self-review, each performed against the real <c>shipgate up</c>
/// with the real <c>shipgate</c> client: a branch that removes its gate, a pull request from a stranger, an alias
/// email, a committer, an earlier commit of the release, an unknown author, a name that differs in case, a scoped
/// approver on a manual-approval step; and the honest path beside each.
/// </summary>
public sealed class TrustedGateTests
{
    private const string Protected = """
        environments:
          production:
            approval:
              reviewers: [alice, sam]
              required: 1
              prevent-self-review: true
        """;

    /// <summary>A dispatchable deploy to production that prints how long the DEPLOY_KEY secret it received is.</summary>
    private const string Delivery = """
        on: workflow_dispatch
        jobs:
          deploy:
            runs-on: ubuntu-latest
            environment: production
            steps:
              - run: echo "key-length=${#KEY}"
                env:
                  KEY: ${{ secrets.DEPLOY_KEY }}
        """;

    [Theory]
    [InlineData("mode-deployment")]
    [InlineData("deleted")]
    public async Task Dispatch_BranchThatRemovesTheGate_StillWaitsAndGetsTheSecretOnlyOnceApproved(string removal)
    {
        await using var setup = await SetupAsync();
        setup.Repository.Git("checkout", "--quiet", "-b", "sneaky");
        if (removal == "deleted")
        {
            setup.Repository.Git("rm", "--quiet", "shipgate.yml");
        }
        else
        {
            setup.Repository.Write("shipgate.yml", "environments:\n  production:\n    mode: deployment\n");
        }

        setup.Repository.Commit("no more approvals");
        setup.Repository.Git("checkout", "--quiet", "main");

        var run = await DispatchAsync(setup.Up, "sneaky");
        var approval = await setup.Up.PendingApprovalAsync(run);
        var before = await setup.Up.RunAsync(["logs", Id(run)]);
        var approved = await setup.Up.RunAsync(["approve", Id(approval.Id)], setup.Sam);
        var done = await setup.Up.CompletedRunAsync(run);
        var logs = await setup.Up.RunAsync(["logs", Id(run)]);
        var deployment = Assert.Single(await setup.Up.JsonAsync(["deployments", "web"], ApiJsonContext.Default.DeploymentResponseArray));

        Assert.Equal("production", approval.Environment);
        Assert.DoesNotContain("key-length", before.Stdout, StringComparison.Ordinal);
        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.Equal("success", done.Run.Conclusion);
        Assert.Contains("key-length=6", logs.Stdout, StringComparison.Ordinal);
        Assert.Equal(setup.Repository.Git("rev-parse", "main").Trim(), deployment.RulesCommit);
        Assert.Null(deployment.RulesTightened);
    }

    [Fact]
    public async Task Dispatch_CommitThatRequiresTwoApprovals_NeedsBothAndTheDeploymentSaysItWasTightened()
    {
        await using var setup = await SetupAsync();
        setup.Repository.Git("checkout", "--quiet", "-b", "careful");
        setup.Repository.Write("shipgate.yml", Protected.Replace("required: 1", "required: 2", StringComparison.Ordinal));
        setup.Repository.Commit("two approvals for this one");
        setup.Repository.Git("checkout", "--quiet", "main");

        var run = await DispatchAsync(setup.Up, "careful");
        var approval = await setup.Up.PendingApprovalAsync(run);
        var first = await setup.Up.RunAsync(["approve", Id(approval.Id)], setup.Sam);
        var stillWaiting = await setup.Up.JsonAsync(["runs", "show", Id(run)], ApiJsonContext.Default.RunDetailResponse);
        var second = await setup.Up.RunAsync(["approve", Id(approval.Id)], setup.Alice);
        var done = await setup.Up.CompletedRunAsync(run);
        var deployment = Assert.Single(await setup.Up.JsonAsync(["deployments", "web"], ApiJsonContext.Default.DeploymentResponseArray));
        var audit = await AuditAsync(setup.Up);

        Assert.Equal(2, approval.Required);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal("waiting", stillWaiting.Run.Status);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal("success", done.Run.Conclusion);
        Assert.Equal("approval.required", deployment.RulesTightened);
        Assert.Contains(audit, e => e.Action == "deployment.create" && e.Reason!.Contains("tightened by the run's commit: approval.required", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PullRequest_FromAnUnknownAuthor_GetsNoSecretsAndCannotEnterProduction()
    {
        await using var setup = await SetupAsync(Protected.Replace("    approval:", "    branches: [main]\n    approval:", StringComparison.Ordinal));
        await SetSecretAsync(setup.Up, "REPO_KEY", "repo-secret", environment: null);
        var set = await setup.Up.RunAsync(["project", "set", "web", "--pr-secrets", "users"]);
        var baseSha = setup.Repository.Git("rev-parse", "HEAD").Trim();
        setup.Repository.Git("checkout", "--quiet", "-b", "outside");
        setup.Repository.Git("rm", "--quiet", "shipgate.yml");
        setup.Repository.Write(".github/workflows/pr.yml", """
            on: pull_request
            jobs:
              check:
                runs-on: ubuntu-latest
                steps:
                  - run: echo "repo-key-length=${#KEY}"
                    env:
                      KEY: ${{ secrets.REPO_KEY }}
              deploy:
                needs: check
                runs-on: ubuntu-latest
                environment: production
                steps:
                  - run: echo "deployed key-length=${#KEY}"
                    env:
                      KEY: ${{ secrets.DEPLOY_KEY }}
            """);
        var headSha = CommitAs(setup.Repository, "Mallory", "mallory@elsewhere.example", "Mallory", "mallory@elsewhere.example");
        var (response, run, done, logs) = await PullRequestRunAsync(setup, 7, "mallory", baseSha, headSha);
        var audit = await AuditAsync(setup.Up);

        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.True(response, "the webhook was refused");
        Assert.Equal("github:mallory", run.Actor);
        Assert.Equal("failure", done.Run.Conclusion);
        Assert.Contains("repo-key-length=0", logs.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("deployed", logs.Stdout, StringComparison.Ordinal);
        Assert.Contains("'refs/pull/7/merge' may not deploy to production", Assert.Single(done.Jobs, j => j.Key == "deploy").Reason, StringComparison.Ordinal);
        Assert.Contains(audit, e => e.Action == "environment.refuse" && e.Target == $"run/{run.Id}");
        Assert.Empty(await setup.Up.JsonAsync(["approvals", "list"], ApiJsonContext.Default.ApprovalResponseArray));
    }

    [Fact]
    public async Task PullRequest_ByAUserWhereTheProjectAllowsIt_GetsTheProjectsSecrets()
    {
        await using var setup = await SetupAsync();
        await SetSecretAsync(setup.Up, "REPO_KEY", "repo-secret", environment: null);
        var set = await setup.Up.RunAsync(["project", "set", "web", "--pr-secrets", "users"]);
        var login = await setup.Up.RunAsync(["user", "login", "add", "bob", "github:bob"]);
        var baseSha = setup.Repository.Git("rev-parse", "HEAD").Trim();
        setup.Repository.Git("checkout", "--quiet", "-b", "feature");
        setup.Repository.Write(".github/workflows/pr.yml", "on: pull_request\njobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \"repo-key-length=${#KEY}\"\n        env:\n          KEY: ${{ secrets.REPO_KEY }}\n");
        var headSha = setup.Repository.Commit("a feature");
        var (response, _, done, logs) = await PullRequestRunAsync(setup, 8, "Bob", baseSha, headSha);

        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.True(response, "the webhook was refused");
        Assert.Equal("success", done.Run.Conclusion);
        Assert.Contains("repo-key-length=11", logs.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_ByTheAuthorUnderAnAliasEmail_403NamingTheCommitAndAnotherApproverDeploys()
    {
        await using var setup = await SetupAsync();
        var alias = await setup.Up.RunAsync(["user", "email", "add", "alice", "alice@home.example"]);
        setup.Repository.Write("src/app.txt", "by alice at home");
        var sha = CommitAs(setup.Repository, "Alice Liddell", "alice@home.example", "Alice Liddell", "alice@home.example");

        var run = await DispatchAsync(setup.Up, "main");
        var approval = await setup.Up.PendingApprovalAsync(run);
        var refused = await setup.Up.RunAsync(["approve", Id(approval.Id)], setup.Alice);
        var approved = await setup.Up.RunAsync(["approve", Id(approval.Id)], setup.Sam);
        var done = await setup.Up.CompletedRunAsync(run);

        Assert.True(alias.ExitCode == 0, alias.ToString());
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("alice wrote this run's commit", refused.Stderr, StringComparison.Ordinal);
        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.Equal("success", done.Run.Conclusion);
        Assert.Equal(sha, done.Run.Sha);
    }

    [Fact]
    public async Task Approve_ByTheCommitterOfTheHead_403NamingTheCommit()
    {
        await using var setup = await SetupAsync();
        setup.Repository.Write("src/app.txt", "written by bob, committed by alice");
        var sha = CommitAs(setup.Repository, "Dev Eloper", "dev@example.com", "Alice", "alice@example.com");

        var run = await DispatchAsync(setup.Up, "main");
        var approval = await setup.Up.PendingApprovalAsync(run);
        var refused = await setup.Up.RunAsync(["approve", Id(approval.Id)], setup.Alice);

        Assert.Equal(3, refused.ExitCode);
        Assert.Contains($"alice committed commit {sha[..7]} of this release", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_ByTheAuthorOfACommitInTheMiddleOfTheRelease_403NamingThatCommit()
    {
        await using var setup = await SetupAsync();
        setup.Repository.Write("src/app.txt", "alice's change");
        var middle = CommitAs(setup.Repository, "Alice", "alice@example.com", "Alice", "alice@example.com");
        setup.Repository.Write("src/app.txt", "bob's change on top");
        setup.Repository.Commit("bob on top");

        var run = await DispatchAsync(setup.Up, "main");
        var approval = await setup.Up.PendingApprovalAsync(run);
        var refused = await setup.Up.RunAsync(["approve", Id(approval.Id)], setup.Alice);
        var approved = await setup.Up.RunAsync(["approve", Id(approval.Id)], setup.Sam);
        var done = await setup.Up.CompletedRunAsync(run);

        Assert.Equal(3, refused.ExitCode);
        Assert.Contains($"alice wrote commit {middle[..7]} of this release", refused.Stderr, StringComparison.Ordinal);
        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.Equal("success", done.Run.Conclusion);
    }

    [Fact]
    public async Task Approve_ByThePusherOfSomeoneElsesCommit_403AndAnotherApproverDeploys()
    {
        await using var setup = await SetupAsync();
        var login = await setup.Up.RunAsync(["user", "login", "add", "alice", "github:alice"]);
        var before = setup.Repository.Git("rev-parse", "HEAD").Trim();
        setup.Repository.Git("checkout", "--quiet", "-b", "feature");
        setup.Repository.Write(".github/workflows/push.yml", "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - run: echo pushed\n");
        var sha = setup.Repository.Commit("bob's change, pushed by alice");
        var body = $$"""{"ref":"refs/heads/feature","before":"{{before}}","after":"{{sha}}","sender":{"login":"alice"},"commits":[]}""";

        using var response = await PostWebhookAsync(setup.Up, "push", body, setup.WebhookSecret);
        var run = await EventuallyAsync(
            async () => (await setup.Up.JsonAsync(["runs", "list", "--project", "web"], ApiJsonContext.Default.RunResponseArray)).FirstOrDefault(r => r.Sha == sha),
            "the push's run",
            TimeSpan.FromSeconds(60));
        var approval = await setup.Up.PendingApprovalAsync(run.Id);
        var refused = await setup.Up.RunAsync(["approve", Id(approval.Id)], setup.Alice);
        var approved = await setup.Up.RunAsync(["approve", Id(approval.Id)], setup.Sam);
        var done = await setup.Up.CompletedRunAsync(run.Id);

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.True(response.IsSuccessStatusCode, response.ToString());
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("alice started this run", refused.Stderr, StringComparison.Ordinal);
        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.Equal("success", done.Run.Conclusion);
    }

    [Fact]
    public async Task Dispatch_MalformedShipgateYmlOnTheProtectedBranch_FailsWithThePositionedErrorAndNothingDeploys()
    {
        await using var setup = await SetupAsync();
        setup.Repository.Git("checkout", "--quiet", "-b", "valid");
        setup.Repository.Git("checkout", "--quiet", "main");
        setup.Repository.Write("shipgate.yml", "environments:\n  production:\n    mode: sometimes\n");
        setup.Repository.Commit("break the rules file");

        var run = await DispatchAsync(setup.Up, "valid");
        var done = await setup.Up.CompletedRunAsync(run);
        var logs = await setup.Up.RunAsync(["logs", Id(run)]);

        Assert.Equal("failure", done.Run.Conclusion);
        Assert.Contains("shipgate.yml on the protected branch 'main' is not valid, so nothing is deployed: shipgate.yml:3:", done.Run.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("key-length", logs.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatch_CommitByAnUnknownAuthor_GateFailsNamingTheCommitAndNothingDeploys()
    {
        await using var setup = await SetupAsync();
        setup.Repository.Write("src/app.txt", "a stranger's change");
        var sha = CommitAs(setup.Repository, "Eve", "eve@elsewhere.example", "Eve", "eve@elsewhere.example");

        var run = await DispatchAsync(setup.Up, "main");
        var done = await setup.Up.CompletedRunAsync(run);
        var logs = await setup.Up.RunAsync(["logs", Id(run)]);

        Assert.Equal("failure", done.Run.Conclusion);
        Assert.Contains($"commit {sha[..7]} by Eve <eve@elsewhere.example> is an unknown author", done.Run.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("key-length", logs.Stdout, StringComparison.Ordinal);
        Assert.Empty(await setup.Up.JsonAsync(["approvals", "list"], ApiJsonContext.Default.ApprovalResponseArray));
    }

    [Fact]
    public async Task UserAdd_NameThatDiffersOnlyInCase_409AndNothingChanges()
    {
        await using var setup = await SetupAsync();

        var refused = await setup.Up.RunAsync(["user", "add", "Alice", "--role", "admin"]);
        var users = await setup.Up.JsonAsync(["user", "list"], ApiJsonContext.Default.UserResponseArray);

        Assert.Equal(4, refused.ExitCode);
        Assert.Contains("A user named 'alice' exists already, and user names are compared without case.", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal("approver", Assert.Single(users, u => string.Equals(u.Name, "alice", StringComparison.OrdinalIgnoreCase)).Role);
    }

    [Fact]
    public async Task UserEmailAdd_EmailOfAnotherUser_409AndAudited()
    {
        await using var setup = await SetupAsync();

        var refused = await setup.Up.RunAsync(["user", "email", "add", "sam", "alice@example.com"]);
        var added = await setup.Up.RunAsync(["user", "login", "add", "sam", "github:sam"]);
        var removed = await setup.Up.RunAsync(["user", "email", "remove", "alice", "alice@example.com"]);
        var users = await setup.Up.JsonAsync(["user", "list"], ApiJsonContext.Default.UserResponseArray);
        var audit = await AuditAsync(setup.Up);

        Assert.Equal(4, refused.ExitCode);
        Assert.Contains("belongs to a user already", refused.Stderr, StringComparison.Ordinal);
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Equal(["github:sam"], Assert.Single(users, u => u.Name == "sam").Logins);
        Assert.Empty(Assert.Single(users, u => u.Name == "alice").Emails);
        Assert.Contains(audit, e => e.Action == "user.login.add" && e.Target == "user/sam");
        Assert.Contains(audit, e => e.Action == "user.email.remove" && e.Target == "user/alice");
    }

    [Theory]
    [InlineData("login", "add", "sam", "sam", 2, "'sam' is not a git host login such as github:alice")]
    [InlineData("email", "add", "sam", "not-an-email", 2, "'not-an-email' is not an email address.")]
    [InlineData("email", "remove", "sam", "alice@example.com", 4, "User 'sam' has no email 'alice@example.com'.")]
    [InlineData("login", "add", "ghost", "github:ghost", 4, "There is no user 'ghost'.")]
    public async Task UserIdentity_BadInput_OneSentenceAndNothingChanges(string kind, string verb, string user, string value, int exit, string sentence)
    {
        await using var setup = await SetupAsync();
        var before = await setup.Up.JsonAsync(["user", "list"], ApiJsonContext.Default.UserResponseArray);

        var refused = await setup.Up.RunAsync(["user", kind, verb, user, value]);
        var after = await setup.Up.JsonAsync(["user", "list"], ApiJsonContext.Default.UserResponseArray);

        Assert.Equal(exit, refused.ExitCode);
        Assert.Contains(sentence, refused.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(before.Select(u => (u.Name, string.Join(",", u.Emails), string.Join(",", u.Logins ?? []))), after.Select(u => (u.Name, string.Join(",", u.Emails), string.Join(",", u.Logins ?? []))));
    }

    [Fact]
    public async Task ManualApproval_InAProductionJob_AnApproverScopedToStagingIsRefused()
    {
        await using var setup = await SetupAsync("environments: {}\n", """
            on: workflow_dispatch
            jobs:
              release:
                runs-on: ubuntu-latest
                environment: production
                steps:
                  - uses: trstringer/manual-approval@v1
                    with:
                      approvers: stan,alice
                      minimum-approvals: 1
                  - run: echo released
            """);
        var stan = (await setup.Up.RunAsync(["user", "add", "stan", "--role", "approver", "--env", "staging"])).LastLine;

        var run = await DispatchAsync(setup.Up, "main");
        var approval = await setup.Up.PendingApprovalAsync(run);
        var refused = await setup.Up.RunAsync(["approve", Id(approval.Id)], stan);
        var approved = await setup.Up.RunAsync(["approve", Id(approval.Id)], setup.Alice);
        var done = await setup.Up.CompletedRunAsync(run);

        Assert.Equal("production", approval.Environment);
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("for environment 'production'", refused.Stderr, StringComparison.Ordinal);
        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.Equal("success", done.Run.Conclusion);
    }

    /// <summary>
    /// <c>shipgate up</c>; alice (alice@example.com) and sam, approvers; bob (dev@example.com, who writes the test
    /// repository's commits), a developer; the project on main with <paramref name="config"/>; DEPLOY_KEY ("secret")
    /// for production.
    /// </summary>
    private static async Task<Setup> SetupAsync(string config = Protected, string workflow = Delivery)
    {
        var repository = new TestRepository();
        repository.Write("shipgate.yml", config);
        repository.Write(".github/workflows/delivery.yml", workflow);
        repository.Write("src/app.txt", "1");
        repository.Commit("initial");
        var up = await ShipgateUp.StartAsync();
        try
        {
            var alice = await AddUserAsync(up, "alice", "approver", "--email", "alice@example.com");
            var sam = await AddUserAsync(up, "sam", "approver", "--email", "sam@example.com");
            await AddUserAsync(up, "bob", "developer", "--email", "dev@example.com");
            var project = await up.RunAsync(["project", "add", "web", "--repo", repository.Root, "--branch", "main"]);
            Assert.True(project.ExitCode == 0, project.ToString());
            await SetSecretAsync(up, "DEPLOY_KEY", "secret", "production");
            return new Setup(up, repository, alice, sam, project.LastLine);
        }
        catch
        {
            repository.Dispose();
            await up.DisposeAsync();
            throw;
        }
    }

    private static async Task<string> AddUserAsync(ShipgateUp up, string name, string role, params string[] more)
    {
        var result = await up.RunAsync(["user", "add", name, "--role", role, .. more]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.LastLine;
    }

    private static async Task SetSecretAsync(ShipgateUp up, string name, string value, string? environment)
    {
        var result = await up.RunAsync(["secret", "set", name, .. environment is null ? Array.Empty<string>() : ["--env", environment]], standardInput: value);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    /// <summary>Commits everything with the given author and committer; returns the commit's sha.</summary>
    private static string CommitAs(TestRepository repository, string authorName, string authorEmail, string committerName, string committerEmail)
    {
        repository.Git("add", "-A");
        repository.Git("-c", "user.name=" + committerName, "-c", "user.email=" + committerEmail, "commit", "--quiet", "-m", "change", $"--author={authorName} <{authorEmail}>");
        return repository.Git("rev-parse", "HEAD").Trim();
    }

    private static async Task<long> DispatchAsync(ShipgateUp up, string gitRef)
    {
        var result = await up.RunAsync(["dispatch", "web", "delivery.yml", "--ref", gitRef]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return long.Parse(result.LastLine, CultureInfo.InvariantCulture);
    }

    /// <summary>The audit log's entries, read with <c>shipgate audit export</c> (lines that are not entries are skipped).</summary>
    private static async Task<IReadOnlyList<AuditEntryResponse>> AuditAsync(ShipgateUp up)
    {
        var export = await up.RunAsync(["audit", "export"]);
        Assert.True(export.ExitCode == 0, export.ToString());
        var entries = new List<AuditEntryResponse>();
        foreach (var line in export.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                if (JsonSerializer.Deserialize(line, ApiJsonContext.Default.AuditEntryResponse) is { Action: not null } entry)
                {
                    entries.Add(entry);
                }
            }
            catch (JsonException)
            {
                // Not an entry (a checkpoint line, say).
            }
        }

        return entries;
    }

    /// <summary>A signed pull_request webhook (opened, by <paramref name="login"/>), its run, completed, and the run's logs.</summary>
    private static async Task<(bool Accepted, RunResponse Run, RunDetailResponse Done, ProcessResult Logs)> PullRequestRunAsync(
        Setup setup, int number, string login, string baseSha, string headSha)
    {
        var body = "{\"action\":\"opened\",\"number\":" + number.ToString(CultureInfo.InvariantCulture)
            + ",\"pull_request\":{\"user\":{\"login\":\"" + login + "\"},\"base\":{\"ref\":\"main\",\"sha\":\"" + baseSha
            + "\"},\"head\":{\"ref\":\"topic\",\"sha\":\"" + headSha + "\"}}}";
        using var response = await PostWebhookAsync(setup.Up, "pull_request", body, setup.WebhookSecret);
        var run = await EventuallyAsync(
            async () => (await setup.Up.JsonAsync(["runs", "list", "--project", "web"], ApiJsonContext.Default.RunResponseArray)).FirstOrDefault(r => r.Event == "pull_request"),
            "the pull request's run",
            TimeSpan.FromSeconds(60));
        var done = await setup.Up.CompletedRunAsync(run.Id);
        return (response.IsSuccessStatusCode, run, done, await setup.Up.RunAsync(["logs", Id(run.Id)]));
    }

    private static async Task<HttpResponseMessage> PostWebhookAsync(ShipgateUp up, string eventName, string body, string secret)
    {
        using var client = new HttpClient { BaseAddress = up.Url };
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/hooks/github?project=web") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add(WebhookSignature.HeaderName, WebhookSignature.Compute(bytes, secret));
        return await client.SendAsync(request, Ct).DefaultTimeout();
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private sealed record Setup(ShipgateUp Up, TestRepository Repository, string Alice, string Sam, string WebhookSecret) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Up.DisposeAsync();
            Repository.Dispose();
        }
    }
}
