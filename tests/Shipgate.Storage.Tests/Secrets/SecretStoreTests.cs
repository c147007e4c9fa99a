using System.Text;
using Shipgate.Storage.Secrets;
using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Storage.Tests.Secrets;

public abstract class SecretStoreTests(StoreTarget target) : StoreTests(target)
{
    private const string Plaintext = "hunter2-PLAINTEXT-secret";

    [Fact]
    public async Task Secrets_EnvironmentOverridesProject_Decrypted()
    {
        var project = await NewProjectAsync();

        await Store.Secrets.SetSecretAsync(project.Id, null, "TOKEN", "project-token", cancellationToken: Cancel).DefaultTimeout();
        await Store.Secrets.SetSecretAsync(project.Id, null, "SHARED", "shared", cancellationToken: Cancel).DefaultTimeout();
        await Store.Secrets.SetSecretAsync(project.Id, "production", "TOKEN", "production-token", cancellationToken: Cancel).DefaultTimeout();

        Assert.Equal(new Dictionary<string, string> { ["TOKEN"] = "production-token", ["SHARED"] = "shared" }, await Store.Secrets.GetSecretsAsync(project.Id, "production", Cancel).DefaultTimeout());
        Assert.Equal(new Dictionary<string, string> { ["TOKEN"] = "project-token", ["SHARED"] = "shared" }, await Store.Secrets.GetSecretsAsync(project.Id, "staging", Cancel).DefaultTimeout());
        Assert.Equal(new Dictionary<string, string> { ["TOKEN"] = "project-token", ["SHARED"] = "shared" }, await Store.Secrets.GetSecretsAsync(project.Id, null, Cancel).DefaultTimeout());
        Assert.Equal(
            [new SecretInfo(null, "SHARED", StoredNow), new SecretInfo(null, "TOKEN", StoredNow), new SecretInfo("production", "TOKEN", StoredNow)],
            await Store.Secrets.ListSecretsAsync(project.Id, Cancel).DefaultTimeout());

        Assert.True(await Store.Secrets.DeleteSecretAsync(project.Id, "production", "TOKEN", cancellationToken: Cancel).DefaultTimeout());
        Assert.False(await Store.Secrets.DeleteSecretAsync(project.Id, "production", "TOKEN", cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal("project-token", (await Store.Secrets.GetSecretsAsync(project.Id, "production", Cancel).DefaultTimeout())["TOKEN"]);
    }

    [Fact]
    public async Task Secret_AtRest_NoPlaintextInTheDatabase()
    {
        var project = await NewProjectAsync();

        await Store.Secrets.SetSecretAsync(project.Id, "production", "API_KEY", Plaintext, cancellationToken: Cancel).DefaultTimeout();

        var raw = (byte[])(await ScalarRawAsync("SELECT value FROM secrets"))!;
        Assert.True(raw.Length >= Encoding.UTF8.GetByteCount(Plaintext) + 16);
        Assert.True(raw.AsSpan().IndexOf(Encoding.UTF8.GetBytes("PLAINTEXT")) < 0);
        Assert.Equal(0L, Convert.ToInt64(await ScalarRawAsync(Target.Provider == StoreProvider.Sqlite
            ? "SELECT COUNT(*) FROM secrets WHERE instr(CAST(value AS TEXT), 'PLAINTEXT') > 0"
            : "SELECT COUNT(*) FROM secrets WHERE position('PLAINTEXT'::bytea in value) > 0")));
        if (Target.Provider == StoreProvider.Sqlite)
        {
            await Store.DisposeAsync();
            var file = await File.ReadAllBytesAsync(Path.Combine(Target.DataDirectory, "shipgate.db"), Cancel);
            Assert.True(file.AsSpan().IndexOf(Encoding.UTF8.GetBytes("PLAINTEXT")) < 0);
        }
    }

    [Fact]
    public async Task KeyFile_CreatedOnFirstUse_OwnerOnly()
    {
        var key = Path.Combine(Target.DataDirectory, "secret.key");

        Assert.Equal(32, new FileInfo(key).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
    }

    [Fact]
    public async Task Secret_CiphertextMovedToAnotherRow_DoesNotDecrypt()
    {
        var project = await NewProjectAsync();
        await Store.Secrets.SetSecretAsync(project.Id, null, "A", "value-a", cancellationToken: Cancel).DefaultTimeout();
        await Store.Secrets.SetSecretAsync(project.Id, null, "B", "value-b", cancellationToken: Cancel).DefaultTimeout();

        await ExecuteRawAsync("UPDATE secrets SET value = (SELECT value FROM secrets WHERE name = 'A') WHERE name = 'B'");

        var error = await Assert.ThrowsAsync<StoreException>(() => Store.Secrets.GetSecretsAsync(project.Id, null, Cancel)).DefaultTimeout();
        Assert.Contains("altered or moved", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secret_KeyFileReplaced_RefusedWithClearMessage()
    {
        var project = await NewProjectAsync();
        await Store.Secrets.SetSecretAsync(project.Id, null, "A", "value-a", cancellationToken: Cancel).DefaultTimeout();
        await Store.DisposeAsync();
        var key = Path.Combine(Target.DataDirectory, "secret.key");
        File.Delete(key);

        await using var reopened = await Target.OpenAsync(Time, Cancel).DefaultTimeout();
        var error = await Assert.ThrowsAsync<StoreException>(() => reopened.Secrets.GetSecretsAsync(project.Id, null, Cancel)).DefaultTimeout();

        Assert.Contains("encrypted with another key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Variables_EnvironmentOverridesProject()
    {
        var project = await NewProjectAsync();

        await Store.Secrets.SetVariableAsync(project.Id, null, "REGION", "eu-west", cancellationToken: Cancel).DefaultTimeout();
        await Store.Secrets.SetVariableAsync(project.Id, "production", "REGION", "eu-central", cancellationToken: Cancel).DefaultTimeout();
        await Store.Secrets.SetVariableAsync(project.Id, "production", "REPLICAS", "3", cancellationToken: Cancel).DefaultTimeout();
        await Store.Secrets.SetVariableAsync(project.Id, "production", "REPLICAS", "5", cancellationToken: Cancel).DefaultTimeout();

        Assert.Equal(new Dictionary<string, string> { ["REGION"] = "eu-central", ["REPLICAS"] = "5" }, await Store.Secrets.GetVariablesAsync(project.Id, "production", Cancel).DefaultTimeout());
        Assert.Equal(new Dictionary<string, string> { ["REGION"] = "eu-west" }, await Store.Secrets.GetVariablesAsync(project.Id, "staging", Cancel).DefaultTimeout());
        Assert.Equal(3, (await Store.Secrets.ListVariablesAsync(project.Id, Cancel).DefaultTimeout()).Count);
        Assert.True(await Store.Secrets.DeleteVariableAsync(project.Id, null, "REGION", cancellationToken: Cancel).DefaultTimeout());
        Assert.Empty(await Store.Secrets.GetVariablesAsync(project.Id, "staging", Cancel).DefaultTimeout());
    }

    public sealed class OnSqlite() : SecretStoreTests(new SqliteStoreTarget());

    public sealed class OnPostgres(PostgresServer server) : SecretStoreTests(new PostgresStoreTarget(server));
}
