using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shipgate.Server.Hosting;

namespace Shipgate.Server.Auth;

/// <summary>
/// The first start of a server: with no user in the store, creates <c>admin</c> and writes its token to
/// <c>DATA/admin.token</c>, readable by the owner only (0600), and says so on stdout.
/// </summary>
internal sealed class AdminBootstrap(IIdentityStore identities, IOptions<ServerOptions> options, ServerConsole console, ILogger<AdminBootstrap> logger)
{
    public const string AdminName = "admin";
    public const string TokenFileName = "admin.token";

    /// <summary>Creates the admin when there is no user; returns the token file's path then, else null.</summary>
    public async Task<string?> EnsureAdminAsync(CancellationToken cancellationToken = default)
    {
        if (await identities.AnyUserAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var user = await identities.CreateUserAsync(new NewUser(AdminName, [], ApiRole.Admin, []), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The admin user could not be created although the store has no user.");
        var token = ApiTokens.Generate();
        await identities.CreateTokenAsync(user.Name, "admin (first start)", ApiTokens.Hash(token), cancellationToken).ConfigureAwait(false);

        var path = Path.Combine(options.Value.DataDirectory!, TokenFileName);
        WriteOwnerOnly(path, token + "\n");
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
