using Shipgate.Flags.Tests.Infrastructure;

namespace Shipgate.Flags.Tests.Unleash;

/// <summary>
/// The real unleash-client npm package, installed once with <c>npm ci</c> from the committed lock file into the test
/// output (reinstalled when the lock file changes), and run with node on <c>evaluate.js</c>.
/// </summary>
internal static class UnleashClient
{
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

    private static Task InstallAsync() => NodePackages.InstallAsync(Folder, "the Unleash agreement tests");
}
