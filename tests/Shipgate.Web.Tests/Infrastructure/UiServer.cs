using System.Text.RegularExpressions;
using Shipgate.Storage;

namespace Shipgate.Web.Tests.Infrastructure;

/// <summary>
/// The real <c>shipgate up</c> with its web UI on a free port (<c>--ui-port 0</c>): the UI's address and the admin's
/// one-time sign-in link, read from what <c>up</c> printed.
/// </summary>
internal sealed partial class UiServer : IAsyncDisposable
{
    private UiServer(ShipgateUp up, Uri ui, string adminLink)
    {
        Up = up;
        Ui = ui;
        AdminLink = adminLink;
    }

    public ShipgateUp Up { get; }

    public Uri Ui { get; }

    /// <summary>The admin's one-time sign-in link <c>up</c> printed.</summary>
    public string AdminLink { get; }

    public static async Task<UiServer> StartAsync()
    {
        var up = await ShipgateUp.StartAsync();
        try
        {
            var match = await EventuallyAsync(
                () => Task.FromResult(PrintedLink().Match(up.Output) is { Success: true } m ? m : null),
                "shipgate up to print the web UI's sign-in link");
            return new UiServer(up, new Uri(match.Groups["ui"].Value), match.Groups["link"].Value);
        }
        catch
        {
            await up.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new one-time sign-in link for the owner of <paramref name="token"/> (<c>shipgate ui-link</c>).</summary>
    public async Task<string> LinkForAsync(string token)
    {
        var result = await Up.RunAsync(["ui-link"], token);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout.Split('\n')[0].Trim();
    }

    /// <summary>Adds a user with <paramref name="role"/> through the CLI; the user's token.</summary>
    public async Task<string> AddUserAsync(string name, string role)
    {
        var result = await Up.RunAsync(["user", "add", name, "--role", role]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.LastLine.Trim();
    }

    /// <summary>Opens the server's store beside it (SQLite allows a second writer to wait its turn), on <paramref name="time"/>.</summary>
    public Task<ShipgateStore> OpenStoreAsync(TimeProvider time) =>
        ShipgateStore.OpenAsync(new StoreOptions { DataDirectory = Up.DataDirectory, TimeProvider = time }, Ct);

    public ValueTask DisposeAsync() => Up.DisposeAsync();

    [GeneratedRegex(@"web UI on (?<ui>http://\S+/); sign in as the admin \(once, within 10 minutes\): (?<link>http://\S+)")]
    private static partial Regex PrintedLink();
}
