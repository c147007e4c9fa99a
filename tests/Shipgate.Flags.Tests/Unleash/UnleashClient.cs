using System.Security.Cryptography;
using Shipgate.Flags.Tests.Infrastructure;

namespace Shipgate.Flags.Tests.Unleash;

/// <summary>
/// The real unleash-client npm package, installed once with <c>npm ci</c> from the committed lock file into the test
/// output (reinstalled when the lock file changes), and run with node on <c>evaluate.js</c>.
/// </summary>
internal static class UnleashClient
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Unleash");

    /// <summary>Evaluates the request (features, names, contexts) and gives unleash-client's output JSON.</summary>
    public static async Task<string> EvaluateAsync(string requestJson)
    {
        await InstallAsync();
        var input = Path.Combine(Path.GetTempPath(), $"shipgate-flags-unleash-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(input, requestJson, TestContext.Current.CancellationToken);
        try
        {
            var (exitCode, output, error) = await ExternalProcess.RunAsync("node", ["evaluate.js", input], Folder, TimeSpan.FromMinutes(2));
            Assert.True(exitCode == 0, $"node evaluate.js exited with {exitCode}: {error}");
            return output;
        }
        finally
        {
            File.Delete(input);
        }
    }

    private static async Task InstallAsync()
    {
        foreach (var program in new[] { "node", "npm" })
        {
            Assert.True(ExternalProcess.IsOnPath(program),
                $"{program} is not on PATH: the Unleash agreement tests need Node.js 20 or newer with npm "
                + "(Debian: apt-get install nodejs npm; ./test.sh installs them).");
        }

        var lockHash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(Folder, "package-lock.json"),
            TestContext.Current.CancellationToken)))[..16];
        var marker = Path.Combine(Folder, "node_modules", $".shipgate-installed-{lockHash}");
        await InstallGate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (File.Exists(marker))
            {
                return;
            }

            var (exitCode, output, error) = await ExternalProcess.RunAsync(
                "npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], Folder, TimeSpan.FromMinutes(5));
            Assert.True(exitCode == 0, $"npm ci failed with {exitCode} (is the npm registry reachable?): {output}{error}");
            await File.WriteAllTextAsync(marker, lockHash, TestContext.Current.CancellationToken);
        }
        finally
        {
            InstallGate.Release();
        }
    }
}
