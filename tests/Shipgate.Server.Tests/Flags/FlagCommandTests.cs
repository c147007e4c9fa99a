using System.Text.Json;
using Shipgate.Flags.Document;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Flags;

public sealed class FlagCommandTests
{
    private static readonly string[] Staging = ["--project", "web", "--env", "staging"];

    [Fact]
    public async Task FlagVerbs_ThroughTheCli_ChangeTheFlagAndShowIt()
    {
        await using var flags = await FlagServer.StartAsync();
        var admin = ShipgateProcess.For(flags.Server, flags.Server.AdminToken);

        var created = await ShipgateProcess.RunAsync(["flag", "create", "new-checkout", .. Staging], admin);
        var banner = await ShipgateProcess.RunAsync(
            ["flag", "create", "banner", .. Staging, "--type", "string", "--variant", "red=#d00", "--variant", "blue=#00d", "--default", "red", "--percent", "40"], admin);
        var rollout = await ShipgateProcess.RunAsync(["flag", "rollout", "new-checkout", .. Staging, "--percent", "30"], admin);
        var disabled = await ShipgateProcess.RunAsync(["flag", "disable", "banner", .. Staging], admin);
        var set = await ShipgateProcess.RunAsync(["flag", "set", "banner", .. Staging, "--variant", "green=#0a0", "--default", "green"], admin);
        var list = await ShipgateProcess.RunAsync(["flag", "list", .. Staging], admin);
        var json = await ShipgateProcess.RunAsync(["flag", "list", .. Staging, "--json"], admin);
        var get = await ShipgateProcess.RunAsync(["flag", "get", "banner", .. Staging], admin);
        var deleted = await ShipgateProcess.RunAsync(["flag", "delete", "new-checkout", .. Staging], admin);
        var gone = await ShipgateProcess.RunAsync(["flag", "get", "new-checkout", .. Staging], admin);

        Assert.All([created, banner, rollout, disabled, set, list, json, get, deleted], r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.Contains("new-checkout  boolean  on     off      1      30%", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("banner        string   off    green    1      40%", list.Stdout, StringComparison.Ordinal);
        var document = JsonSerializer.Deserialize(json.Stdout, FlagJsonContext.Default.FlagDocument)!;
        Assert.Equal(["new-checkout", "banner"], document.Flags!.Select(f => f.Key));
        Assert.Equal(["red", "blue", "green"], document.Flags![1].Variants!.Keys);
        Assert.Contains("\"defaultVariant\": \"green\"", get.Stdout, StringComparison.Ordinal);
        Assert.Equal(4, gone.ExitCode);
        Assert.Contains("There is no flag 'new-checkout'", gone.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FlagCommands_FileFlagChangedAtRunTime_ListAndGetShowDriftUntilReset()
    {
        await using var flags = await FlagServer.StartAsync();
        flags.Repository.Write("shipgate.yml", FlagServer.Config + """

            flags:
              new-checkout: { type: boolean, variants: { on: true, off: false }, default-variant: off }

            """);
        flags.Repository.Commit("flags");
        var admin = ShipgateProcess.For(flags.Server, flags.Server.AdminToken);
        await ShipgateProcess.RunAsync(["flag", "create", "banner", .. Staging], admin);

        var disabled = await ShipgateProcess.RunAsync(["flag", "disable", "new-checkout", .. Staging], admin);
        var list = await ShipgateProcess.RunAsync(["flag", "list", .. Staging], admin);
        var get = await ShipgateProcess.RunAsync(["flag", "get", "new-checkout", .. Staging], admin);
        var reset = await ShipgateProcess.RunAsync(["flag", "reset", "new-checkout", .. Staging], admin);
        var after = await ShipgateProcess.RunAsync(["flag", "get", "new-checkout", .. Staging], admin);

        Assert.All([disabled, list, get, reset, after], r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.Contains("new-checkout  boolean  off    off      0      -        yes: enabled", list.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"banner .* -\s*$", list.Stdout.Split('\n').Single(l => l.StartsWith("banner", StringComparison.Ordinal)));
        Assert.Contains("Drifted from shipgate.yml at run time: enabled differ ('shipgate flag reset new-checkout --env staging'", get.Stdout, StringComparison.Ordinal);
        Assert.Contains("shipgate: reset flag new-checkout in staging.", reset.Stderr, StringComparison.Ordinal);
        Assert.Contains("As shipgate.yml on the protected branch defines it.", after.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FlagCommands_Refused_ExitCodeAndSentenceAndNothingChanged()
    {
        await using var flags = await FlagServer.StartAsync();
        var admin = ShipgateProcess.For(flags.Server, flags.Server.AdminToken);
        var developer = ShipgateProcess.For(flags.Server, await flags.Server.CreateUserAsync("dev", "developer"));
        await ShipgateProcess.RunAsync(["flag", "create", "new-checkout", .. Staging], admin);
        var before = await ShipgateProcess.RunAsync(["flag", "list", .. Staging, "--json"], admin);
        var rules = Path.Combine(flags.Repository.Root, "rules.json");
        await File.WriteAllTextAsync(rules, "[\n  {\"variant\": \"on\",\n   \"targets\": [\"alice\"] \n  ,, ]", Ct).DefaultTimeout();
        var badOperator = Path.Combine(flags.Repository.Root, "operator.json");
        await File.WriteAllTextAsync(badOperator, """[{"constraints":[{"contextName":"plan","operator":"LIKE","values":["pro"]}],"variant":"on"}]""", Ct).DefaultTimeout();

        var production = await ShipgateProcess.RunAsync(["flag", "create", "new-checkout", "--project", "web", "--env", "production"], developer);
        var badValue = await ShipgateProcess.RunAsync(["flag", "set", "new-checkout", .. Staging, "--variant", "on=yes"], admin);
        var badPercent = await ShipgateProcess.RunAsync(["flag", "rollout", "new-checkout", .. Staging, "--percent", "150"], admin);
        var badFile = await ShipgateProcess.RunAsync(["flag", "set", "new-checkout", .. Staging, "--file", rules], admin);
        var badRule = await ShipgateProcess.RunAsync(["flag", "set", "new-checkout", .. Staging, "--file", badOperator], admin);
        var badType = await ShipgateProcess.RunAsync(["flag", "create", "x", .. Staging, "--type", "colour"], admin);
        var unknownEnvironment = await ShipgateProcess.RunAsync(["flag", "list", "--project", "web", "--env", "qa"], admin);

        var after = await ShipgateProcess.RunAsync(["flag", "list", .. Staging, "--json"], admin);
        Assert.Equal(3, production.ExitCode);
        Assert.Contains("approval rules", production.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, badValue.ExitCode);
        Assert.Equal("shipgate: The variant 'on' has the value 'yes', which is not a boolean (true or false).\n", badValue.Stderr);
        Assert.Equal(2, badPercent.ExitCode);
        Assert.Contains("between 0 and 100", badPercent.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, badFile.ExitCode);
        Assert.Contains($"{rules}:4:", badFile.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, badRule.ExitCode);
        Assert.Contains("LIKE", badRule.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, badType.ExitCode);
        Assert.Equal(4, unknownEnvironment.ExitCode);
        Assert.All([production, badValue, badPercent, badFile, badRule, badType], r => Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal));
        Assert.Equal(before.Stdout, after.Stdout);
    }

    [Fact]
    public async Task FlagKeys_CreateListRevoke_KeyShownOnceThenRefused()
    {
        await using var flags = await FlagServer.StartAsync();
        var admin = ShipgateProcess.For(flags.Server, flags.Server.AdminToken);

        var created = await ShipgateProcess.RunAsync(["flag", "key", "create", .. Staging, "--name", "checkout"], admin);
        var list = await ShipgateProcess.RunAsync(["flag", "key", "list", .. Staging], admin);
        var id = list.Stdout.Split('\n')[1].Split(' ')[0];
        var read = await flags.ReadAsync(HttpMethod.Get, "/flags/v1/document", created.LastLine);
        var revoked = await ShipgateProcess.RunAsync(["flag", "key", "revoke", id, .. Staging], admin);
        var again = await ShipgateProcess.RunAsync(["flag", "key", "revoke", id, .. Staging], admin);
        var refused = await flags.ReadAsync(HttpMethod.Get, "/flags/v1/document", created.LastLine);

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.StartsWith("sgk_", created.LastLine, StringComparison.Ordinal);
        Assert.Contains("checkout", list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(created.LastLine, list.Stdout, StringComparison.Ordinal);
        Assert.Equal(200, read.Status);
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        Assert.Equal(4, again.ExitCode);
        Assert.Equal(401, refused.Status);
    }
}
