using System.Security.Cryptography;

namespace Shipgate.Flags.Tests.Infrastructure;

/// <summary>
/// A committed node script with its package.json and package-lock.json, copied next to the tests: the packages are
/// installed once with <c>npm ci</c> into that folder (again when the lock file changes), and the script is run with node.
/// </summary>
internal static class NodePackages
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    /// <summary>Installs the packages of <paramref name="folder"/> when they are not installed yet; <paramref name="purpose"/> says which tests need node.</summary>
    public static async Task InstallAsync(string folder, string purpose)
    {
        foreach (var program in new[] { "node", "npm" })
        {
            Assert.True(ExternalProcess.IsOnPath(program),
                $"{program} is not on PATH: {purpose} need Node.js 20 or newer with npm (Debian: apt-get install nodejs npm; ./test.sh installs them).");
        }

        var lockHash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(folder, "package-lock.json"),
            TestContext.Current.CancellationToken)))[..16];
        var marker = Path.Combine(folder, "node_modules", $".shipgate-installed-{lockHash}");
        await InstallGate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (File.Exists(marker))
            {
                return;
            }

            var (exitCode, output, error) = await ExternalProcess.RunAsync(
                "npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], folder, TimeSpan.FromMinutes(5));
            Assert.True(exitCode == 0, $"npm ci failed with {exitCode} (is the npm registry reachable?): {output}{error}");
            await File.WriteAllTextAsync(marker, lockHash, TestContext.Current.CancellationToken);
        }
        finally
        {
            InstallGate.Release();
        }
    }
}
