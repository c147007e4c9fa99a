using Shipgate.Storage.Users;
using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Storage.Tests.Users;

public abstract class UserStoreTests(StoreTarget target) : StoreTests(target)
{
    [Fact]
    public async Task CreateUser_EveryField_RoundTrips()
    {
        var created = await Store.Users.CreateUserAsync(new NewUser { Name = "alice", Role = UserRole.Approver, Emails = ["Alice@Example.com", "alice@home.example"], Environments = ["production"] }, cancellationToken: Cancel).DefaultTimeout();

        Assert.NotNull(created);
        Assert.Equal((created.Id, "alice", UserRole.Approver, StoredNow, (DateTimeOffset?)null), (created.Id, created.Name, created.Role, created.CreatedAt, created.DisabledAt));
        Assert.Equal(["alice@example.com", "alice@home.example"], created.Emails);
        Assert.Equal(["production"], created.Environments);
        var byName = await Store.Users.GetUserAsync("alice", Cancel).DefaultTimeout();
        var byEmail = await Store.Users.FindUserByEmailAsync(" ALICE@example.COM ", Cancel).DefaultTimeout();
        Assert.Equal(created.Id, byName!.Id);
        Assert.Equal(["alice@example.com", "alice@home.example"], byName.Emails.Order(StringComparer.Ordinal));
        Assert.Equal(["production"], byName.Environments);
        Assert.Equal(created.Id, byEmail!.Id);
        Assert.Equal("alice", (await Store.Users.GetUserAsync(created.Id, Cancel).DefaultTimeout())!.Name);
        Assert.Equal(["alice"], (await Store.Users.ListUsersAsync(Cancel).DefaultTimeout()).Select(u => u.Name));
    }

    [Fact]
    public async Task CreateUser_TakenNameOrEmail_ReturnsNull()
    {
        await Store.Users.CreateUserAsync(new NewUser { Name = "alice", Role = UserRole.Developer, Emails = ["alice@example.com"] }, cancellationToken: Cancel).DefaultTimeout();

        Assert.Null(await Store.Users.CreateUserAsync(new NewUser { Name = "alice", Role = UserRole.Admin }, cancellationToken: Cancel).DefaultTimeout());
        Assert.Null(await Store.Users.CreateUserAsync(new NewUser { Name = "mallory", Role = UserRole.Admin, Emails = ["ALICE@example.com"] }, cancellationToken: Cancel).DefaultTimeout());
        Assert.Single(await Store.Users.ListUsersAsync(Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task CreateUser_NameThatDiffersOnlyInCase_ReturnsNullAndTheIndexRefusesItToo()
    {
        await Store.Users.CreateUserAsync(new NewUser { Name = "alice", Role = UserRole.Approver }, cancellationToken: Cancel).DefaultTimeout();

        Assert.Null(await Store.Users.CreateUserAsync(new NewUser { Name = "Alice", Role = UserRole.Admin }, cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal("alice", (await Store.Users.GetUserAsync("ALICE", Cancel).DefaultTimeout())!.Name);
        await Assert.ThrowsAnyAsync<Exception>(() => ExecuteRawAsync("INSERT INTO users (name, role, environments_json, created_at) SELECT 'ALICE', role, environments_json, created_at FROM users"));
        Assert.Single(await Store.Users.ListUsersAsync(Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task EmailsAndLogins_AddRemoveFind_EachBelongsToOneUser()
    {
        var alice = await Store.Users.CreateUserAsync(new NewUser { Name = "alice", Role = UserRole.Approver, Emails = ["alice@example.com"], Logins = ["GitHub:Alice"] }, cancellationToken: Cancel).DefaultTimeout();
        var bob = await Store.Users.CreateUserAsync(new NewUser { Name = "bob", Role = UserRole.Developer }, cancellationToken: Cancel).DefaultTimeout();

        Assert.Equal(IdentityChange.Applied, await Store.Users.AddEmailAsync(alice!.Id, "Alice@Home.example", cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal(IdentityChange.Taken, await Store.Users.AddEmailAsync(bob!.Id, "alice@home.example", cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal(IdentityChange.Taken, await Store.Users.AddLoginAsync(bob.Id, "github:alice", cancellationToken: Cancel).DefaultTimeout());
        Assert.Null(await Store.Users.CreateUserAsync(new NewUser { Name = "mallory", Role = UserRole.Admin, Logins = ["github:ALICE"] }, cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal(alice.Id, (await Store.Users.FindUserByEmailAsync("alice@home.example", Cancel).DefaultTimeout())!.Id);
        Assert.Equal(alice.Id, (await Store.Users.FindUserByLoginAsync("github:alice", Cancel).DefaultTimeout())!.Id);
        Assert.Equal(["github:alice"], (await Store.Users.GetUserAsync(alice.Id, Cancel).DefaultTimeout())!.Logins);
        Assert.Equal(IdentityChange.NotFound, await Store.Users.RemoveEmailAsync(bob.Id, "alice@home.example", cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal(IdentityChange.Applied, await Store.Users.RemoveLoginAsync(alice.Id, "GITHUB:alice", cancellationToken: Cancel).DefaultTimeout());
        Assert.Null(await Store.Users.FindUserByLoginAsync("github:alice", Cancel).DefaultTimeout());
        Assert.Equal(IdentityChange.NotFound, await Store.Users.AddLoginAsync(999, "github:ghost", cancellationToken: Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task Tokens_CreateAuthenticateRevoke_StoredHashedOnly()
    {
        var alice = await Store.Users.CreateUserAsync(new NewUser { Name = "alice", Role = UserRole.Admin }, cancellationToken: Cancel).DefaultTimeout();

        var token = await Store.Users.CreateTokenAsync(alice!.Id, "laptop", cancellationToken: Cancel).DefaultTimeout();

        Assert.StartsWith("sg_", token.Token, StringComparison.Ordinal);
        Assert.Equal(new ApiTokenRecord(token.Record.Id, alice.Id, "laptop", token.Token[..10], StoredNow, null), token.Record);
        Assert.Equal(alice.Id, (await Store.Users.AuthenticateAsync(token.Token, Cancel).DefaultTimeout())!.Id);
        Assert.Null(await Store.Users.AuthenticateAsync(token.Token + "x", Cancel).DefaultTimeout());
        Assert.Equal(0L, Convert.ToInt64(await ScalarRawAsync($"SELECT COUNT(*) FROM api_tokens WHERE token_hash = '{token.Token}' OR name = '{token.Token}' OR prefix = '{token.Token}'")));
        Assert.Equal(UserStore.HashToken(token.Token), await ScalarRawAsync("SELECT token_hash FROM api_tokens"));

        Assert.True(await Store.Users.RevokeTokenAsync(token.Record.Id, cancellationToken: Cancel).DefaultTimeout());
        Assert.False(await Store.Users.RevokeTokenAsync(token.Record.Id, cancellationToken: Cancel).DefaultTimeout());
        Assert.Null(await Store.Users.AuthenticateAsync(token.Token, Cancel).DefaultTimeout());
        Assert.Equal(StoredNow, Assert.Single(await Store.Users.ListTokensAsync(alice.Id, Cancel).DefaultTimeout()).RevokedAt);
    }

    [Fact]
    public async Task DisabledUser_TokenNoLongerAuthenticates()
    {
        var bob = await Store.Users.CreateUserAsync(new NewUser { Name = "bob", Role = UserRole.Developer }, cancellationToken: Cancel).DefaultTimeout();
        var token = await Store.Users.CreateTokenAsync(bob!.Id, "ci", cancellationToken: Cancel).DefaultTimeout();

        Assert.True(await Store.Users.SetDisabledAsync(bob.Id, true, cancellationToken: Cancel).DefaultTimeout());
        Assert.Null(await Store.Users.AuthenticateAsync(token.Token, Cancel).DefaultTimeout());
        Assert.True(await Store.Users.SetDisabledAsync(bob.Id, false, cancellationToken: Cancel).DefaultTimeout());
        Assert.NotNull(await Store.Users.AuthenticateAsync(token.Token, Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task SetRole_ChangesRoleAndScope()
    {
        var bob = await Store.Users.CreateUserAsync(new NewUser { Name = "bob", Role = UserRole.Developer }, cancellationToken: Cancel).DefaultTimeout();

        Assert.True(await Store.Users.SetRoleAsync(bob!.Id, UserRole.Approver, ["staging", "production"], cancellationToken: Cancel).DefaultTimeout());
        Assert.False(await Store.Users.SetRoleAsync(bob.Id + 100, UserRole.Admin, [], cancellationToken: Cancel).DefaultTimeout());

        var read = await Store.Users.GetUserAsync("bob", Cancel).DefaultTimeout();
        Assert.Equal(UserRole.Approver, read!.Role);
        Assert.Equal(["staging", "production"], read.Environments);
    }

    [Fact]
    public async Task Teams_Members_AddedOnceAndRemoved()
    {
        await Store.Users.CreateUserAsync(new NewUser { Name = "carol", Role = UserRole.Approver }, cancellationToken: Cancel).DefaultTimeout();
        await Store.Users.CreateUserAsync(new NewUser { Name = "bob", Role = UserRole.Approver }, cancellationToken: Cancel).DefaultTimeout();

        Assert.True(await Store.Users.CreateTeamAsync("release-managers", cancellationToken: Cancel).DefaultTimeout());
        Assert.False(await Store.Users.CreateTeamAsync("release-managers", cancellationToken: Cancel).DefaultTimeout());
        Assert.True(await Store.Users.AddTeamMemberAsync("release-managers", "carol", cancellationToken: Cancel).DefaultTimeout());
        Assert.True(await Store.Users.AddTeamMemberAsync("release-managers", "bob", cancellationToken: Cancel).DefaultTimeout());
        Assert.False(await Store.Users.AddTeamMemberAsync("release-managers", "bob", cancellationToken: Cancel).DefaultTimeout());
        Assert.False(await Store.Users.AddTeamMemberAsync("release-managers", "nobody", cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal(["bob", "carol"], await Store.Users.ListTeamMembersAsync("release-managers", Cancel).DefaultTimeout());

        Assert.True(await Store.Users.RemoveTeamMemberAsync("release-managers", "bob", cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal(["carol"], await Store.Users.ListTeamMembersAsync("release-managers", Cancel).DefaultTimeout());
        Assert.Equal(["release-managers"], await Store.Users.ListTeamsAsync(Cancel).DefaultTimeout());
    }

    public sealed class OnSqlite() : UserStoreTests(new SqliteStoreTarget());

    public sealed class OnPostgres(PostgresServer server) : UserStoreTests(new PostgresStoreTarget(server));
}
