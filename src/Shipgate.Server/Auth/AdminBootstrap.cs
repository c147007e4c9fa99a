using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Audit;
using Shipgate.Storage.Users;

namespace Shipgate.Server.Auth;

/// <summary>
/// The first start of a server: with no user in the store, creates <c>admin</c> and writes its token to
/// <c>DATA/admin.token</c>, readable by the owner only (0600), and says so on stdout.
/// </summary>
internal sealed class AdminBootstrap(ServerStore store, IOptions<ServerOptions> options, ServerConsole console, ILogger<AdminBootstrap> logger)
{
    public const string AdminName = "admin";
    public const string TokenFileName = "admin.token";

    /// <summary>Creates the admin when there is no user; returns the token file's path then, else null.</summary>
    public async Task<string?> EnsureAdminAsync(CancellationToken cancellationToken = default)
    {
        var users = store.Store.Users;
        if ((await users.ListUsersAsync(cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            return null;
        }

        var audit = new NewAuditEntry { Actor = "shipgate", Action = "user.create", Target = "user/" + AdminName, Reason = "first start of the server", AfterJson = """{"role":"admin"}""" };
        var user = await users.CreateUserAsync(new NewUser { Name = AdminName, Role = UserRole.Admin }, audit, cancellationToken).ConfigureAwait(false)
            ?? await users.GetUserAsync(AdminName, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The admin user could not be created.");
        var token = await users.CreateTokenAsync(user.Id, "admin (first start)", null, cancellationToken).ConfigureAwait(false);

        var path = Path.Combine(options.Value.DataDirectory!, TokenFileName);
        WriteOwnerOnly(path, token.Token + "\n");
        AuthLog.AdminCreated(logger, user.Name, path);
        console.WriteLine($"shipgate: created the admin user; its API token is in {path} (readable by you only). Use it with: export SHIPGATE_TOKEN=$(cat {path})");
        return path;
    }

    /// <summary>Writes the file with mode 0600 from its creation, so the token is never readable by others.</summary>
    internal static void WriteOwnerOnly(string path, string content)
    {
        File.Delete(path);
        var streamOptions = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
        };
        if (!OperatingSystem.IsWindows())
        {
            streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, streamOptions);
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }
}
