using System.Runtime.Versioning;
using Microsoft.Extensions.Time.Testing;
using Shipgate.Engine.Actions;
using Shipgate.Engine.Actions.Builtin;
using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Tests.Actions.Builtin;

public sealed class CacheActionTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeActionContext _context = new();

    public void Dispose() => _context.Dispose();

    private string WorkspaceFile(string path) => Path.Combine(_context.Workspace, path);

    private void Write(string path, string content) => TempDirectory.WriteFile(WorkspaceFile(path), content);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Runs actions/cache as a job would: main step, then (the job succeeded) its post step.</summary>
    private async Task<(FakeActionContext Context, ActionResult Result)> RunJobAsync(string key, string path, string restoreKeys = "", Action<FakeActionContext>? between = null)
    {
        var context = _context.NextStep().With("key", key).With("path", path).With("restore-keys", restoreKeys);
        var action = new CacheAction(CacheActionKind.RestoreAndSave, _time);
        var result = await action.RunAsync(context, Token).DefaultTimeout();
        between?.Invoke(context);
        if (action.HasPost(context))
        {
            await action.PostAsync(context, Token).DefaultTimeout();
        }

        _time.Advance(TimeSpan.FromMinutes(1));
        return (context, result);
    }

    [Fact]
    public async Task Cache_FirstRunMisses_PostSaves_SecondRunHitsAndRestores()
    {
        var (first, _) = await RunJobAsync("deps-v1", "node_modules", between: _ => Write("node_modules/lib/index.js", "lib"));
        Assert.Equal("false", first.Outputs["cache-hit"]);
        Assert.Contains(first.Lines, l => l.StartsWith("Cache saved with key: deps-v1", StringComparison.Ordinal));
        Directory.Delete(WorkspaceFile("node_modules"), recursive: true);

        var (second, result) = await RunJobAsync("deps-v1", "node_modules");

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal("true", second.Outputs["cache-hit"]);
        Assert.Equal("lib", File.ReadAllText(WorkspaceFile("node_modules/lib/index.js")));
        Assert.Contains(second.Lines, l => l.Contains("not saving cache", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cache_RestoreKeys_RestoresNewestPrefixMatchWithoutHit()
    {
        await RunJobAsync("deps-aaa", "cache", between: _ => Write("cache/v", "old"));
        Write("cache/v", "new");
        await RunJobAsync("deps-bbb", "cache");
        Directory.Delete(WorkspaceFile("cache"), recursive: true);

        var (context, _) = await RunJobAsync("deps-ccc", "cache", restoreKeys: "other-\ndeps-");

        Assert.Equal("false", context.Outputs["cache-hit"]);
        Assert.Equal("deps-bbb", context.Outputs["cache-matched-key"]);
        Assert.Equal("new", File.ReadAllText(WorkspaceFile("cache/v")));
        Assert.Contains(context.Lines, l => l.StartsWith("Cache saved with key: deps-ccc", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cache_OtherPaths_DoNotMatchTheSameKey()
    {
        await RunJobAsync("k", "a", between: _ => Write("a/x", "1"));

        var (context, _) = await RunJobAsync("k", "b");

        Assert.Equal("false", context.Outputs["cache-hit"]);
    }

    [Fact]
    public async Task Cache_Miss_WithFailOnCacheMiss_Fails()
    {
        var context = _context.NextStep().With("key", "k").With("path", "a").With("fail-on-cache-miss", "true");

        var result = await new CacheAction(CacheActionKind.RestoreAndSave, _time).RunAsync(context, Token).DefaultTimeout();

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        Assert.Contains("Input key: k", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cache_LookupOnly_ReportsHitWithoutRestoring()
    {
        await RunJobAsync("k", "a", between: _ => Write("a/x", "1"));
        Directory.Delete(WorkspaceFile("a"), recursive: true);
        var context = _context.NextStep().With("key", "k").With("path", "a").With("lookup-only", "true");

        await new CacheAction(CacheActionKind.RestoreAndSave, _time).RunAsync(context, Token).DefaultTimeout();

        Assert.Equal("true", context.Outputs["cache-hit"]);
        Assert.False(Directory.Exists(WorkspaceFile("a")));
    }

    [Fact]
    public async Task Cache_KeyWithComma_FailsValidation()
    {
        var context = _context.NextStep().With("key", "a,b").With("path", "a");

        var result = await new CacheAction(CacheActionKind.RestoreAndSave, _time).RunAsync(context, Token).DefaultTimeout();

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        Assert.Contains("cannot contain commas", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task CacheSaveThenRestore_KeepsLinksModesAndPathsOutsideTheWorkspace()
    {
        Write("bin/tool", "#!/bin/sh\necho hi\n");
        File.SetUnixFileMode(WorkspaceFile("bin/tool"), (UnixFileMode)0b111_101_101);
        File.CreateSymbolicLink(WorkspaceFile("bin/alias"), "tool");
        var outside = _context.Root.Write("home/.npm/index", "npm cache");
        _context.Environment["HOME"] = Path.Combine(_context.Root.Path, "home");
        var save = _context.NextStep().With("key", "tools").With("path", "bin\n~/.npm");
        await new CacheAction(CacheActionKind.Save, _time).RunAsync(save, Token).DefaultTimeout();
        Directory.Delete(WorkspaceFile("bin"), recursive: true);
        File.Delete(outside);

        var restore = _context.NextStep().With("key", "tools").With("path", "bin\n~/.npm");
        var result = await new CacheAction(CacheActionKind.Restore, _time).RunAsync(restore, Token).DefaultTimeout();

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal("true", restore.Outputs["cache-hit"]);
        Assert.Equal("tool", new FileInfo(WorkspaceFile("bin/alias")).LinkTarget);
        Assert.True((File.GetUnixFileMode(WorkspaceFile("bin/tool")) & UnixFileMode.UserExecute) != 0);
        Assert.Equal("npm cache", File.ReadAllText(outside));
        Assert.False(new CacheAction(CacheActionKind.Restore, _time).HasPost(restore));
    }

    [Fact]
    public async Task CacheSave_KeyExists_WarnsAndKeepsTheFirst()
    {
        Write("a/x", "1");
        await new CacheAction(CacheActionKind.Save, _time).RunAsync(_context.NextStep().With("key", "k").With("path", "a"), Token).DefaultTimeout();
        Write("a/x", "2");
        var second = _context.NextStep().With("key", "k").With("path", "a");

        var result = await new CacheAction(CacheActionKind.Save, _time).RunAsync(second, Token).DefaultTimeout();

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Contains(second.Warnings, w => w.Contains("Unable to reserve cache with key k", StringComparison.Ordinal));
        await new CacheAction(CacheActionKind.Restore, _time).RunAsync(_context.NextStep().With("key", "k").With("path", "a"), Token).DefaultTimeout();
        Assert.Equal("1", File.ReadAllText(WorkspaceFile("a/x")));
    }

    [Fact]
    public async Task CacheSave_NothingThere_WarnsAndSucceeds()
    {
        var context = _context.NextStep().With("key", "k").With("path", "missing");

        var result = await new CacheAction(CacheActionKind.Save, _time).RunAsync(context, Token).DefaultTimeout();

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Single(context.Warnings);
    }

    [Fact]
    public void Cache_PostStep_RunsOnlyOnSuccess() =>
        Assert.Equal("success()", ((IBuiltinAction)new CacheAction(CacheActionKind.RestoreAndSave, _time)).PostIf);

    [Fact]
    public async Task CacheSave_PathThroughALinkToTheDataFolder_IsNotCached()
    {
        var key = _context.Root.Write("data/secret.key", "the server's key");
        Directory.CreateSymbolicLink(WorkspaceFile("config"), _context.DataDirectory);
        Write("build/out.txt", "output");

        var save = _context.NextStep().With("key", "leak").With("path", "config/secret.key\nbuild");
        await new CacheAction(CacheActionKind.Save, _time).RunAsync(save, Token).DefaultTimeout();
        File.Delete(key);
        Directory.Delete(WorkspaceFile("build"), recursive: true);
        var restore = _context.NextStep().With("key", "leak").With("path", "config/secret.key\nbuild");
        await new CacheAction(CacheActionKind.Restore, _time).RunAsync(restore, Token).DefaultTimeout();

        Assert.Contains($"{WorkspaceFile("config/secret.key")} is not cached: a symbolic link on its path leads out of the workspace.", save.Warnings);
        Assert.False(File.Exists(key));
        Assert.Equal("output", File.ReadAllText(WorkspaceFile("build/out.txt")));
    }

    [Fact]
    public async Task CacheRestore_ThroughALinkAStepPlanted_WritesNothingThereAndFails()
    {
        Write("deps/node_modules/lib/index.js", "attacker's content");
        await new CacheAction(CacheActionKind.Save, _time).RunAsync(_context.NextStep().With("key", "deps").With("path", "deps/node_modules"), Token).DefaultTimeout();
        Directory.Delete(WorkspaceFile("deps"), recursive: true);
        // The server restores as its own user: a link the step put where the cache's folders go would carry the files
        // (which the step chose when it saved the cache) into the data folder or anywhere else.
        Directory.CreateSymbolicLink(WorkspaceFile("deps"), _context.DataDirectory);
        var restore = _context.NextStep().With("key", "deps").With("path", "deps/node_modules");

        var result = await new CacheAction(CacheActionKind.Restore, _time).RunAsync(restore, Token).DefaultTimeout();

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        Assert.Contains("was not restored", result.Message, StringComparison.Ordinal);
        Assert.Contains("a symbolic link on its path leads out of the workspace", result.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_context.DataDirectory, "node_modules")));
    }

    [Fact]
    public async Task Cache_SandboxedJob_ReadsAndWritesOnlyTheJobsDirectories()
    {
        // What the server could read with its rights but a sandboxed step could not (/etc/shadow, /root/.ssh).
        var hostFile = _context.Root.Write("host/shadow", "root only");
        var home = _context.Root.Create("job-home");
        _context.SandboxDirectories = [_context.Workspace, _context.RunnerTemp, home];
        Write("build/out.txt", "output");
        var save = _context.NextStep().With("key", "sandboxed").With("path", $"{hostFile}\nbuild");

        await new CacheAction(CacheActionKind.Save, _time).RunAsync(save, Token).DefaultTimeout();
        Directory.Delete(WorkspaceFile("build"), recursive: true);
        var restore = _context.NextStep().With("key", "sandboxed").With("path", $"{hostFile}\nbuild");
        var restored = await new CacheAction(CacheActionKind.Restore, _time).RunAsync(restore, Token).DefaultTimeout();

        Assert.Contains($"{hostFile} is not cached: it is outside the job's directories, which are all a sandboxed step can reach.", save.Warnings);
        Assert.Equal(Conclusion.Success, restored.Conclusion);
        Assert.Equal("output", File.ReadAllText(WorkspaceFile("build/out.txt")));

        // A cache saved outside the sandbox (by `shipgate run`, say) with a path outside the job is not written back in it.
        _context.SandboxDirectories = null;
        var outside = _context.Root.Write("host/.npm/index", "npm cache");
        await new CacheAction(CacheActionKind.Save, _time).RunAsync(_context.NextStep().With("key", "npm").With("path", outside), Token).DefaultTimeout();
        File.Delete(outside);
        _context.SandboxDirectories = [_context.Workspace, _context.RunnerTemp, home];
        var refused = await new CacheAction(CacheActionKind.Restore, _time).RunAsync(_context.NextStep().With("key", "npm").With("path", outside), Token).DefaultTimeout();

        Assert.Equal(Conclusion.Failure, refused.Conclusion);
        Assert.Contains("it is outside the job's directories", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(outside));
    }
}
