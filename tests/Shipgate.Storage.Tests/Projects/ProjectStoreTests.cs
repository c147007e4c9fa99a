using Shipgate.Storage.Projects;
using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Storage.Tests.Projects;

public abstract class ProjectStoreTests(StoreTarget target) : StoreTests(target)
{
    [Fact]
    public async Task Create_NewName_RoundTrips()
    {
        var created = await Store.Projects.CreateAsync(new NewProject { Name = "web", Repository = "https://example.invalid/web.git", DefaultBranch = "trunk" }, cancellationToken: Cancel).DefaultTimeout();

        Assert.NotNull(created);
        var read = await Store.Projects.GetByNameAsync("web", Cancel).DefaultTimeout();
        Assert.Equal(created, read);
        Assert.Equal(new ProjectRecord(created.Id, "web", "https://example.invalid/web.git", "trunk", false, StoredNow), read);
        Assert.Equal(created, await Store.Projects.GetAsync(created.Id, Cancel).DefaultTimeout());
        Assert.Equal([created], await Store.Projects.ListAsync(Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task PullRequestSecrets_DefaultNone_SetToUsers()
    {
        var created = await Store.Projects.CreateAsync(new NewProject { Name = "web", Repository = "https://example.invalid/web.git" }, cancellationToken: Cancel).DefaultTimeout();

        Assert.Equal(PullRequestSecrets.None, created!.PullRequestSecrets);
        Assert.True(await Store.Projects.SetPullRequestSecretsAsync(created.Id, PullRequestSecrets.Users, cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal(PullRequestSecrets.Users, (await Store.Projects.GetAsync(created.Id, Cancel).DefaultTimeout())!.PullRequestSecrets);
        Assert.False(await Store.Projects.SetPullRequestSecretsAsync(created.Id + 1, PullRequestSecrets.Users, cancellationToken: Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task Create_TakenName_ReturnsNullAndChangesNothing()
    {
        var first = await NewProjectAsync("web");

        var second = await Store.Projects.CreateAsync(new NewProject { Name = "web", Repository = "/elsewhere" }, cancellationToken: Cancel).DefaultTimeout();

        Assert.Null(second);
        Assert.Equal([first], await Store.Projects.ListAsync(Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task WebhookSecret_StoredEncrypted_ReadsBackDecrypted()
    {
        const string Secret = "hook-secret-PLAINTEXT-9f8e7d";
        var project = await Store.Projects.CreateAsync(new NewProject { Name = "web", Repository = "/r", WebhookSecret = Secret }, cancellationToken: Cancel).DefaultTimeout();

        Assert.True(project!.HasWebhookSecret);
        Assert.Equal(Secret, await Store.Projects.GetWebhookSecretAsync(project.Id, Cancel).DefaultTimeout());
        var raw = (byte[])(await ScalarRawAsync($"SELECT webhook_secret FROM projects WHERE id = {project.Id}"))!;
        Assert.False(raw.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes("PLAINTEXT")) >= 0);

        Assert.True(await Store.Projects.SetWebhookSecretAsync(project.Id, null, cancellationToken: Cancel).DefaultTimeout());
        Assert.Null(await Store.Projects.GetWebhookSecretAsync(project.Id, Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task Delete_ProjectWithRuns_RemovesItsRecords()
    {
        var project = await NewProjectAsync();
        var run = await NewRunAsync(project.Id);

        Assert.True(await Store.Projects.DeleteAsync(project.Id, cancellationToken: Cancel).DefaultTimeout());

        Assert.Null(await Store.Runs.GetRunAsync(run.Id, Cancel).DefaultTimeout());
        Assert.False(await Store.Projects.DeleteAsync(project.Id, cancellationToken: Cancel).DefaultTimeout());
    }

    public sealed class OnSqlite() : ProjectStoreTests(new SqliteStoreTarget());

    public sealed class OnPostgres(PostgresServer server) : ProjectStoreTests(new PostgresStoreTarget(server));
}
