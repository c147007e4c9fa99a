using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shipgate.Server.Git;
using Shipgate.Server.Tests.Infrastructure;
using Shipgate.Server.Triggers;

namespace Shipgate.Server.Tests.Flags;

/// <summary>
/// The flags of <c>shipgate.yml</c> take effect by themselves when the protected branch moves: nobody calls the flag API
/// in these tests; what OFREP and <c>/flags/v1/document</c> serve is waited for (bounded), never slept on.
/// </summary>
public sealed class FlagFileSyncTests
{
    private const string Document = "/flags/v1/document";
    private const string Evaluate = "/ofrep/v1/evaluate/flags/new-checkout";
    private const string Bob = """{"context":{"targetingKey":"bob"}}""";

    /// <summary><c>shipgate.yml</c> with <c>new-checkout</c> (off, or rolled out to a percentage) and a string flag <c>banner</c>.</summary>
    private static string File(bool enabled, int percentage = 0, string banner = "red") => FlagServer.Config + $$"""

        flags:
          new-checkout:
            type: boolean
            variants: { on: true, off: false }
            default-variant: off
            enabled: {{(enabled ? "true" : "false")}}
            rules:
              - rollout: { percentage: {{percentage}}, variants: [{ name: on, weight: 1000 }] }
          banner:
            type: string
            variants: { red: red, blue: blue }
            default-variant: {{banner}}

        """;

    [Fact]
    public async Task FileCommit_OnTheProtectedBranch_ServedByTheDocumentAndOfrepWithNoFlagRequest()
    {
        var logs = new LogRecorder();
        await using var flags = await FlagServer.StartAsync(services => services.AddSingleton<ILoggerProvider>(logs));
        var (key, _) = await flags.CreateKeyAsync("production");

        flags.Repository.Write("shipgate.yml", File(enabled: false));
        flags.Repository.Commit("flags");
        var first = await ServedAsync(flags, key, "\"new-checkout\"");
        flags.Repository.Write("shipgate.yml", File(enabled: true, percentage: 100));
        flags.Repository.Commit("roll new-checkout out to everyone");
        var second = await ServedAsync(flags, key, "\"percentage\":100");
        var bob = await flags.ReadAsync(HttpMethod.Post, Evaluate, key, Bob);
        for (var poll = 0; poll < 3; poll++)
        {
            await flags.Server.Service<RepositoryWatcher>().PollAsync(Ct).DefaultTimeout();
        }

        Assert.NotEqual(first.ETag, second.ETag);
        Assert.Contains("\"value\":true", bob.Body, StringComparison.Ordinal);
        var syncs = (await flags.AuditAsync("flag.")).Where(e => e.Target == "project/web/environment/production/flags").ToList();
        Assert.Equal(["flag.sync", "flag.sync"], syncs.Select(e => e.Action));
        Assert.All(syncs, e => Assert.Equal("shipgate", e.Actor));
        // Read once per head: when the project was added, and at each of the two commits; never again for a head seen.
        Assert.Equal(3, logs.With(5800).Distinct().Count());
        Assert.Equal(3, logs.With(5800).Count);
    }

    [Fact]
    public async Task FileCommit_OnAnotherBranchPolledAndPushed_ChangesNothing()
    {
        await using var flags = await FlagServer.StartAsync();
        var (key, _) = await flags.CreateKeyAsync("production");
        var main = flags.Repository.Git("rev-parse", "HEAD").Trim();
        flags.Repository.Write("shipgate.yml", File(enabled: false));
        flags.Repository.Commit("flags");
        var before = await ServedAsync(flags, key, "\"new-checkout\"");

        // The attack: a branch rolls the flag out to everyone in its own shipgate.yml, is left checked out, and is pushed.
        flags.Repository.Git("checkout", "--quiet", "-b", "feature");
        flags.Repository.Write("shipgate.yml", File(enabled: true, percentage: 100));
        var feature = flags.Repository.Commit("turn it on");
        using var pushed = await SignedWebhook.PostAsync(
            flags.Server.Client, "push", SignedWebhook.PushBody(main, feature, "refs/heads/feature"), flags.WebhookSecret, "feature-push");
        var afterPush = await flags.ReadAsync(HttpMethod.Get, Document, key);
        // A later commit to the protected branch that changes another flag: once it is served, the watcher has polled past the branch.
        flags.Repository.Git("checkout", "--quiet", "main");
        flags.Repository.Write("shipgate.yml", File(enabled: false, banner: "blue"));
        flags.Repository.Commit("blue banner");
        await ServedAsync(flags, key, "\"defaultVariant\":\"blue\"");
        var bob = await flags.ReadAsync(HttpMethod.Post, Evaluate, key, Bob);

        Assert.True(pushed.IsSuccessStatusCode, $"{(int)pushed.StatusCode}");
        Assert.Equal(before.ETag, afterPush.ETag);
        Assert.Contains("\"value\":false", bob.Body, StringComparison.Ordinal);
        // The first file and the blue banner: two changes, no third.
        Assert.Equal(2, (await flags.AuditAsync("flag.sync")).Count(e => e.Target == "project/web/environment/production/flags"));
    }

    [Fact]
    public async Task RuntimeChange_FileCommitNotTouchingTheFlag_KeepsTheRuntimeState()
    {
        await using var flags = await FlagServer.StartAsync();
        var (key, _) = await flags.CreateKeyAsync("production");
        flags.Repository.Write("shipgate.yml", File(enabled: true, percentage: 100));
        flags.Repository.Commit("flags");
        await ServedAsync(flags, key, "\"percentage\":100");
        var disabled = await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("production", "/new-checkout/disable"));

        flags.Repository.Write("shipgate.yml", File(enabled: true, percentage: 100, banner: "blue"));
        flags.Repository.Commit("blue banner");
        await ServedAsync(flags, key, "\"defaultVariant\":\"blue\"");
        var bob = await flags.ReadAsync(HttpMethod.Post, Evaluate, key, Bob);

        Assert.True(disabled.Status == 200, disabled.Body);
        Assert.Contains("\"value\":false", bob.Body, StringComparison.Ordinal);
        Assert.Contains("DISABLED", bob.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileCommit_InvalidFile_ServedFlagsUnchangedAndLoggedOnce()
    {
        var logs = new LogRecorder();
        await using var flags = await FlagServer.StartAsync(services => services.AddSingleton<ILoggerProvider>(logs));
        var (key, _) = await flags.CreateKeyAsync("production");
        flags.Repository.Write("shipgate.yml", File(enabled: false));
        flags.Repository.Commit("flags");
        var before = await ServedAsync(flags, key, "\"new-checkout\"");

        // Rolled out to everyone, in a file with an error elsewhere: nothing of it may be applied.
        flags.Repository.Write("shipgate.yml", File(enabled: true, percentage: 100, banner: "green"));
        var broken = flags.Repository.Commit("broken");
        await EventuallyAsync(() => Task.FromResult(logs.With(5801) is [_, ..] found ? found : null), "the invalid file to be logged");
        var watcher = flags.Server.Service<RepositoryWatcher>();
        for (var poll = 0; poll < 3; poll++)
        {
            await watcher.PollAsync(Ct).DefaultTimeout();
        }

        var after = await flags.ReadAsync(HttpMethod.Get, Document, key);

        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal(before.Body, after.Body);
        var logged = Assert.Single(logs.With(5801));
        Assert.Contains(broken, logged, StringComparison.Ordinal);
        Assert.Contains("shipgate.yml:", logged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_AfterAFileCommit_ServesTheFilesFlagsAtOnce()
    {
        // web is a local repository; api a clone URL, whose mirror the server had fetched the commit into when it stopped.
        using var repository = new TestRepository();
        repository.Write("shipgate.yml", File(enabled: false));
        var first = repository.Commit("flags");
        string data;
        string webKey;
        string apiKey;
        await using (var server = await RunningServer.StartAsync())
        {
            server.KeepData = true;
            data = server.DataDirectory;
            await server.AddProjectAsync("web", repository.Root);
            await server.AddProjectAsync("api", "file://" + repository.Root);
            (webKey, _) = await FlagServer.CreateKeyAsync(server, "web", "production");
            (apiKey, _) = await FlagServer.CreateKeyAsync(server, "api", "production");
        }

        repository.Write("shipgate.yml", File(enabled: true, percentage: 100));
        var second = repository.Commit("roll out while the server is down");
        var mirror = new GitRepository(Assert.Single(Directory.GetDirectories(Path.Combine(data, "repositories"))));
        Assert.True((await mirror.FetchAsync(Ct).DefaultTimeout()).Succeeded);
        await using var restarted = await RunningServer.StartAsync(dataDirectory: data);
        var web = await ReadDocumentAsync(restarted, webKey);
        var api = await ReadDocumentAsync(restarted, apiKey);

        Assert.NotEqual(first, second);
        Assert.Contains("\"percentage\":100", web, StringComparison.Ordinal);
        Assert.Contains("\"percentage\":100", api, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MirroredProject_AddedThenPushedToTheProtectedBranch_ServedAsTheAnswersCome()
    {
        // A clone URL: the server fetches a mirror and never polls it, so only adding and the webhook can apply the file.
        using var origin = new TestRepository();
        origin.Write("shipgate.yml", File(enabled: false));
        var first = origin.Commit("flags");
        await using var server = await RunningServer.StartAsync();
        var created = await server.AddProjectAsync("web", "file://" + origin.Root);
        var (key, _) = await FlagServer.CreateKeyAsync(server, "web", "production");
        var added = await ReadDocumentAsync(server, key);

        origin.Write("shipgate.yml", File(enabled: true, percentage: 100));
        var second = origin.Commit("roll out");
        using var pushed = await SignedWebhook.PostAsync(
            server.Client, "push", SignedWebhook.PushBody(first, second), created.WebhookSecret, "main-push");
        var afterPush = await ReadDocumentAsync(server, key);

        Assert.Contains("\"new-checkout\"", added, StringComparison.Ordinal);
        Assert.DoesNotContain("\"percentage\":100", added, StringComparison.Ordinal);
        Assert.True(pushed.IsSuccessStatusCode, $"{(int)pushed.StatusCode}");
        Assert.Contains("\"percentage\":100", afterPush, StringComparison.Ordinal);
    }

    /// <summary>Waits until production's document holds <paramref name="text"/>; its answer.</summary>
    private static async Task<(int Status, string Body, string? ETag)> ServedAsync(FlagServer flags, string key, string text)
    {
        var served = await EventuallyAsync(
            async () => await flags.ReadAsync(HttpMethod.Get, Document, key) is { Status: 200 } answer
                && answer.Body.Contains(text, StringComparison.Ordinal)
                ? new Tuple<int, string, string?>(answer.Status, answer.Body, answer.ETag)
                : null,
            $"the document to serve {text}");
        return (served.Item1, served.Item2, served.Item3);
    }

    private static async Task<string> ReadDocumentAsync(RunningServer server, string key)
    {
        using var client = server.ClientWith(key);
        return await client.GetStringAsync(Document, Ct).DefaultTimeout();
    }
}
