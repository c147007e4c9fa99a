using System.Text.Json;
using Shipgate.Server.Api;

namespace Shipgate.Server.Tests.Flags;

public sealed class FlagBaselinesTests
{
    private static string Flags(string enabled, string defaultVariant = "off") => FlagServer.Config + $$"""

        flags:
          new-checkout:
            type: boolean
            variants: { on: true, off: false }
            default-variant: {{defaultVariant}}
            enabled: {{enabled}}
            environments:
              staging: { default-variant: on }

        """;

    [Fact]
    public async Task FileFlag_RuntimeChangeThenReset_ShowsDriftUntilResetAndAuditsEach()
    {
        await using var flags = await FlagServer.StartAsync();
        flags.Repository.Write("shipgate.yml", Flags("true"));
        flags.Repository.Commit("flags");

        var fromFile = await flags.SendAsync(HttpMethod.Get, FlagServer.Flags("production", "/new-checkout"));
        var driftBefore = await DriftAsync(flags, "production");
        var staging = await flags.SendAsync(HttpMethod.Get, FlagServer.Flags("staging", "/new-checkout"));
        await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("production", "/new-checkout/disable"));
        await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("production"), FlagServer.Checkout.Replace("new-checkout", "other", StringComparison.Ordinal));
        var drifted = await DriftAsync(flags, "production");
        var stillDisabled = await flags.SendAsync(HttpMethod.Get, FlagServer.Flags("production", "/new-checkout"));
        var reset = await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("production", "/new-checkout/reset"));
        var driftAfter = await DriftAsync(flags, "production");
        var audit = await flags.AuditAsync("flag.");

        Assert.True(fromFile.Status == 200, fromFile.Body);
        Assert.Contains("\"enabled\":true", fromFile.Body, StringComparison.Ordinal);
        Assert.Contains("\"defaultVariant\":\"on\"", staging.Body, StringComparison.Ordinal);
        Assert.Equal(("new-checkout", false), (driftBefore[0].Key, driftBefore[0].Drift));
        // A flag only in the server is not drift: the answer lists the file's flags only.
        var drift = Assert.Single(drifted);
        Assert.True(drift.Drift);
        Assert.Equal(["enabled"], drift.Differences);
        Assert.Contains("\"enabled\":false", stillDisabled.Body, StringComparison.Ordinal);
        Assert.True(reset.Status == 200, reset.Body);
        Assert.Contains("\"enabled\":true", reset.Body, StringComparison.Ordinal);
        Assert.False(Assert.Single(driftAfter).Drift);
        var production = audit.Where(e => e.Target.StartsWith("project/web/environment/production/", StringComparison.Ordinal)).ToList();
        Assert.Equal(["flag.sync", "flag.disable", "flag.create", "flag.reset"], production.Select(e => e.Action));
        Assert.Equal("shipgate", production[0].Actor);
        Assert.Equal("admin", production[^1].Actor);
    }

    [Fact]
    public async Task FileFlag_ProtectedBranchChanges_UpdatesTheFlagUnlessDrifted()
    {
        await using var flags = await FlagServer.StartAsync();
        flags.Repository.Write("shipgate.yml", Flags("true"));
        flags.Repository.Commit("flags");
        await flags.SendAsync(HttpMethod.Get, FlagServer.Flags("production"));
        await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("staging", "/new-checkout/disable"));

        flags.Repository.Write("shipgate.yml", Flags("true", defaultVariant: "on"));
        flags.Repository.Commit("default on");
        var production = await flags.SendAsync(HttpMethod.Get, FlagServer.Flags("production", "/new-checkout"));
        var staging = await flags.SendAsync(HttpMethod.Get, FlagServer.Flags("staging", "/new-checkout"));

        Assert.Contains("\"defaultVariant\":\"on\"", production.Body, StringComparison.Ordinal);
        Assert.False(Assert.Single(await DriftAsync(flags, "production")).Drift);
        // Staging was changed at run time: it keeps its state, shown as drift.
        Assert.Contains("\"enabled\":false", staging.Body, StringComparison.Ordinal);
        Assert.Equal(["enabled"], Assert.Single(await DriftAsync(flags, "staging")).Differences);
    }

    [Fact]
    public async Task FileFlag_CommitOnAnotherBranch_CannotChangeProductionsFlags()
    {
        await using var flags = await FlagServer.StartAsync();
        flags.Repository.Write("shipgate.yml", Flags("false"));
        flags.Repository.Commit("flags");
        var before = await flags.SendAsync(HttpMethod.Get, FlagServer.Flags("production"));

        // The attack: a branch turns the flag on in its own shipgate.yml, and is even left checked out.
        flags.Repository.Git("checkout", "--quiet", "-b", "feature");
        flags.Repository.Write("shipgate.yml", Flags("true"));
        flags.Repository.Commit("turn it on");
        var after = await flags.SendAsync(HttpMethod.Get, FlagServer.Flags("production"));
        var flag = await flags.SendAsync(HttpMethod.Get, FlagServer.Flags("production", "/new-checkout"));

        Assert.Equal(before.Body, after.Body);
        Assert.Contains("\"enabled\":false", flag.Body, StringComparison.Ordinal);
        Assert.Equal(["flag.sync"], (await flags.AuditAsync("flag.")).Where(e => e.Target.Contains("production", StringComparison.Ordinal)).Select(e => e.Action));
    }

    [Fact]
    public async Task Reset_FlagNotInTheFile_404AndNothingChanged()
    {
        await using var flags = await FlagServer.StartAsync();
        await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("staging"), FlagServer.Checkout);

        var refused = await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("staging", "/new-checkout/reset"));

        Assert.Equal(404, refused.Status);
        Assert.Contains("nothing to reset it to", refused.Body, StringComparison.Ordinal);
        Assert.Equal(["flag.create"], (await flags.AuditAsync("flag.")).Select(e => e.Action));
    }

    private static async Task<FlagDriftResponse[]> DriftAsync(FlagServer flags, string environment)
    {
        var (status, body) = await flags.SendAsync(HttpMethod.Get, $"/api/v1/projects/web/environments/{environment}/flag-drift");
        Assert.True(status == 200, body);
        return JsonSerializer.Deserialize(body, ApiJsonContext.Default.FlagDriftResponseArray)!;
    }
}
