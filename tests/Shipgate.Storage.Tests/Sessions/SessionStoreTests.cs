using Shipgate.Storage.Tests.Infrastructure;
using Shipgate.Storage.Users;

namespace Shipgate.Storage.Tests.Sessions;

public abstract class SessionStoreTests(StoreTarget target) : StoreTests(target)
{
    private static readonly TimeSpan Hours = TimeSpan.FromHours(12);

    [Fact]
    public async Task SignInWithToken_ValidToken_OpensASessionOfItsUser_StoredOnlyAsAHash()
    {
        var (alice, token) = await UserWithTokenAsync("alice");

        var session = await Store.Sessions.SignInWithTokenAsync(token.Token, Hours, Cancel).DefaultTimeout();

        Assert.NotNull(session);
        Assert.Equal(alice.Id, (await Store.Sessions.AuthenticateAsync(session, Store.Users, Cancel).DefaultTimeout())?.Id);
        Assert.Equal(0L, Convert.ToInt64(await ScalarRawAsync($"SELECT COUNT(*) FROM ui_sessions WHERE id_hash = '{session}'"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(await Store.Sessions.SignInWithTokenAsync("sg_unknown", Hours, Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task Session_Expired_SignedOut_UserDisabled_OrTokenRevoked_NoLongerAuthenticates()
    {
        var (alice, token) = await UserWithTokenAsync("alice");
        var (bob, bobToken) = await UserWithTokenAsync("bob");
        var expiring = (await Store.Sessions.SignInWithTokenAsync(token.Token, TimeSpan.FromMinutes(5), Cancel).DefaultTimeout())!;
        var signedOut = (await Store.Sessions.SignInWithTokenAsync(token.Token, Hours, Cancel).DefaultTimeout())!;
        var ofBob = (await Store.Sessions.SignInWithTokenAsync(bobToken.Token, Hours, Cancel).DefaultTimeout())!;
        var ofBobsUser = (await Store.Sessions.RedeemSignInTicketAsync(
            await Store.Sessions.CreateSignInTicketAsync(bob.Id, null, TimeSpan.FromMinutes(10), Cancel).DefaultTimeout(), Hours, Cancel).DefaultTimeout())!;

        Time.Advance(TimeSpan.FromMinutes(6));
        Assert.True(await Store.Sessions.DeleteAsync(signedOut, Cancel).DefaultTimeout());
        await Store.Users.RevokeTokenAsync(bobToken.Record.Id, cancellationToken: Cancel).DefaultTimeout();

        Assert.Null(await Store.Sessions.AuthenticateAsync(expiring, Store.Users, Cancel).DefaultTimeout());
        Assert.Null(await Store.Sessions.AuthenticateAsync(signedOut, Store.Users, Cancel).DefaultTimeout());
        Assert.Null(await Store.Sessions.AuthenticateAsync(ofBob, Store.Users, Cancel).DefaultTimeout());
        // A session tied to no token (the link shipgate up prints) lives on while its user is enabled.
        Assert.Equal(bob.Id, (await Store.Sessions.AuthenticateAsync(ofBobsUser, Store.Users, Cancel).DefaultTimeout())?.Id);

        await Store.Users.SetDisabledAsync(bob.Id, true, cancellationToken: Cancel).DefaultTimeout();
        Assert.Null(await Store.Sessions.AuthenticateAsync(ofBobsUser, Store.Users, Cancel).DefaultTimeout());
        Assert.Equal(alice.Id, (await Store.Users.GetUserAsync("alice", Cancel).DefaultTimeout())!.Id);
    }

    [Fact]
    public async Task SignInTicket_WorksOnce_AndNotAfterItExpires()
    {
        var (alice, token) = await UserWithTokenAsync("alice");
        var once = await Store.Sessions.CreateSignInTicketForTokenAsync(token.Token, TimeSpan.FromMinutes(10), Cancel).DefaultTimeout();
        var late = await Store.Sessions.CreateSignInTicketAsync(alice.Id, null, TimeSpan.FromMinutes(10), Cancel).DefaultTimeout();

        var first = await Store.Sessions.RedeemSignInTicketAsync(once!, Hours, Cancel).DefaultTimeout();
        var second = await Store.Sessions.RedeemSignInTicketAsync(once!, Hours, Cancel).DefaultTimeout();
        Time.Advance(TimeSpan.FromMinutes(10));
        var expired = await Store.Sessions.RedeemSignInTicketAsync(late, Hours, Cancel).DefaultTimeout();

        Assert.Equal(alice.Id, (await Store.Sessions.AuthenticateAsync(first!, Store.Users, Cancel).DefaultTimeout())?.Id);
        Assert.Null(second);
        Assert.Null(expired);
        Assert.Null(await Store.Sessions.RedeemSignInTicketAsync("not-a-ticket", Hours, Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task SignInTicket_OfARevokedToken_OpensNothing()
    {
        var (_, token) = await UserWithTokenAsync("alice");
        var ticket = await Store.Sessions.CreateSignInTicketForTokenAsync(token.Token, TimeSpan.FromMinutes(10), Cancel).DefaultTimeout();
        await Store.Users.RevokeTokenAsync(token.Record.Id, cancellationToken: Cancel).DefaultTimeout();

        Assert.Null(await Store.Sessions.RedeemSignInTicketAsync(ticket!, Hours, Cancel).DefaultTimeout());
        Assert.Null(await Store.Sessions.CreateSignInTicketForTokenAsync(token.Token, TimeSpan.FromMinutes(10), Cancel).DefaultTimeout());
    }

    private async Task<(UserRecord User, CreatedToken Token)> UserWithTokenAsync(string name)
    {
        var user = (await Store.Users.CreateUserAsync(new NewUser { Name = name, Role = UserRole.Developer }, cancellationToken: Cancel).DefaultTimeout())!;
        return (user, await Store.Users.CreateTokenAsync(user.Id, "ui", cancellationToken: Cancel).DefaultTimeout());
    }

    public sealed class OnSqlite() : SessionStoreTests(new SqliteStoreTarget());

    public sealed class OnPostgres(PostgresServer server) : SessionStoreTests(new PostgresStoreTarget(server));
}
