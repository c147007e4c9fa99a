using System.Text.Json;

namespace Shipgate.Server.Tests.Flags;

public sealed class FlagEndpointsTests
{
    [Fact]
    public async Task FlagVerbs_Admin_ChangeTheFlagAndAuditEachWithBeforeAndAfter()
    {
        await using var flags = await FlagServer.StartAsync();

        var created = await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("production"), FlagServer.Checkout);
        var rollout = await flags.SendAsync(HttpMethod.Put, FlagServer.Flags("production", "/new-checkout/rollout"), """{"percentage":25}""");
        var disabled = await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("production", "/new-checkout/disable"));
        var got = await flags.SendAsync(HttpMethod.Get, FlagServer.Flags("production", "/new-checkout"));
        var enabled = await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("production", "/new-checkout/enable"));
        var replaced = await flags.SendAsync(HttpMethod.Put, FlagServer.Flags("production", "/new-checkout"), FlagServer.Checkout.Replace("\"off\"}", "\"on\"}", StringComparison.Ordinal));
        var list = await flags.SendAsync(HttpMethod.Get, FlagServer.Flags("production"));
        var deleted = await flags.SendAsync(HttpMethod.Delete, FlagServer.Flags("production", "/new-checkout"));
        var afterDelete = await flags.SendAsync(HttpMethod.Get, FlagServer.Flags("production", "/new-checkout"));
        var audit = await flags.AuditAsync("flag.");

        Assert.True(created.Status == 201, created.Body);
        Assert.True(rollout.Status == 200, rollout.Body);
        using (var flag = JsonDocument.Parse(rollout.Body))
        {
            // No rollout rule yet: one is added over the variants other than the default, at the percentage.
            var rule = flag.RootElement.GetProperty("rules")[1].GetProperty("rollout");
            Assert.Equal(25, rule.GetProperty("percentage").GetDouble());
            Assert.Equal("on", Assert.Single(rule.GetProperty("variants").EnumerateArray()).GetProperty("name").GetString());
        }

        Assert.Equal(200, disabled.Status);
        Assert.Contains("\"enabled\":false", got.Body, StringComparison.Ordinal);
        Assert.Equal(200, enabled.Status);
        Assert.True(replaced.Status == 200, replaced.Body);
        Assert.StartsWith("{\"version\":1,\"flags\":[{\"key\":\"new-checkout\"", list.Body, StringComparison.Ordinal);
        Assert.Equal(204, deleted.Status);
        Assert.Equal(404, afterDelete.Status);
        Assert.Equal(
            ["flag.create", "flag.rollout", "flag.disable", "flag.enable", "flag.replace", "flag.delete"],
            audit.Select(e => e.Action));
        Assert.All(audit, e => Assert.Equal("project/web/environment/production/flag/new-checkout", e.Target));
        Assert.All(audit, e => Assert.Equal("admin", e.Actor));
        Assert.Null(audit[0].Before);
        Assert.Contains("\"enabled\":true", audit[2].Before!, StringComparison.Ordinal);
        Assert.Contains("\"enabled\":false", audit[2].After!, StringComparison.Ordinal);
        Assert.Null(audit[^1].After);
    }

    [Theory]
    [InlineData("""{"key":"f","type":"colour","variants":{"a":1},"defaultVariant":"a"}""", "type")]
    [InlineData("""{"key":"f","type":"boolean","variants":{"on":"yes","off":false},"defaultVariant":"off"}""", "$.variants")]
    [InlineData("""{"key":"f","type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off","rules":[{"rollout":{"percentage":120,"variants":[{"name":"on"}]}}]}""", "120")]
    [InlineData("""{"key":"f","type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off","rules":[{"rollout":{"percentage":50,"variants":[{"name":"on","weight":700,"weightType":"fix"},{"name":"off","weight":700,"weightType":"fix"}]}}]}""", "weight")]
    [InlineData("""{"key":"f","type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off","rules":[{"constraints":[{"contextName":"plan","operator":"LIKE","values":["x"]}],"variant":"on"}]}""", "LIKE")]
    [InlineData("""{"key":"f","type":"boolean","colour":"red"}""", "property")]
    [InlineData("""{"key":"f",""", "malformed")]
    public async Task Create_BadFlag_400WithTheSentenceAndNothingStored(string json, string expected)
    {
        await using var flags = await FlagServer.StartAsync();
        await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("staging"), FlagServer.Checkout);
        var before = await flags.SendAsync(HttpMethod.Get, FlagServer.Flags("staging"));

        var refused = await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("staging"), json);

        var after = await flags.SendAsync(HttpMethod.Get, FlagServer.Flags("staging"));
        Assert.True(refused.Status == 400, refused.Body);
        Assert.Contains(expected, JsonDocument.Parse(refused.Body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before.Body, after.Body);
        Assert.Single(await flags.AuditAsync("flag."));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100.5)]
    public async Task Rollout_PercentageOutside0To100_400AndUnchanged(double percentage)
    {
        await using var flags = await FlagServer.StartAsync();
        await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("staging"), FlagServer.Checkout);

        var refused = await flags.SendAsync(HttpMethod.Put, FlagServer.Flags("staging", "/new-checkout/rollout"), $$"""{"percentage":{{percentage}}}""");

        var flag = await flags.SendAsync(HttpMethod.Get, FlagServer.Flags("staging", "/new-checkout"));
        Assert.True(refused.Status == 400, refused.Body);
        Assert.Contains("between 0 and 100", refused.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("rollout", flag.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Change_ByRole_DeveloperOnlyWithoutApprovalRulesApproverOfTheEnvironmentViewerNever()
    {
        await using var flags = await FlagServer.StartAsync();
        var viewer = await flags.Server.CreateUserAsync("vera", "viewer");
        var developer = await flags.Server.CreateUserAsync("dev", "developer");
        var approver = await flags.Server.CreateUserAsync("alice", "approver", environments: ["production"]);
        var otherApprover = await flags.Server.CreateUserAsync("olga", "approver", environments: ["qa"]);

        var developerStaging = await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("staging"), FlagServer.Checkout, developer);
        var developerProduction = await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("production"), FlagServer.Checkout, developer);
        var viewerStaging = await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("staging", "/new-checkout/disable"), null, viewer);
        var otherApproverProduction = await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("production"), FlagServer.Checkout, otherApprover);
        var approverProduction = await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("production"), FlagServer.Checkout, approver);
        var developerDisablesProduction = await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("production", "/new-checkout/disable"), null, developer);
        var viewerReads = await flags.SendAsync(HttpMethod.Get, FlagServer.Flags("production"), null, viewer);

        Assert.True(developerStaging.Status == 201, developerStaging.Body);
        Assert.Equal(403, developerProduction.Status);
        Assert.Contains("approval rules", developerProduction.Body, StringComparison.Ordinal);
        Assert.Equal(403, viewerStaging.Status);
        Assert.Equal(403, otherApproverProduction.Status);
        Assert.True(approverProduction.Status == 201, approverProduction.Body);
        Assert.Equal(403, developerDisablesProduction.Status);
        Assert.Contains("\"enabled\":true", viewerReads.Body, StringComparison.Ordinal);
        Assert.Equal(["dev", "alice"], (await flags.AuditAsync("flag.")).Select(e => e.Actor));
    }

    [Fact]
    public async Task Flags_UndeclaredEnvironmentOrUnknownProject_404()
    {
        await using var flags = await FlagServer.StartAsync();

        var undeclared = await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("qa"), FlagServer.Checkout);
        var unknownProject = await flags.SendAsync(HttpMethod.Get, "/api/v1/projects/nope/environments/staging/flags");

        Assert.Equal(404, undeclared.Status);
        Assert.Contains("no environment 'qa' in shipgate.yml", undeclared.Body, StringComparison.Ordinal);
        Assert.Equal(404, unknownProject.Status);
    }

    [Fact]
    public async Task Create_KeyTaken_409AndUnchanged()
    {
        await using var flags = await FlagServer.StartAsync();
        await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("staging"), FlagServer.Checkout);

        var again = await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("staging"), FlagServer.Checkout.Replace("\"off\"}", "\"on\"}", StringComparison.Ordinal));

        Assert.Equal(409, again.Status);
        Assert.Contains("\"defaultVariant\":\"off\"", (await flags.SendAsync(HttpMethod.Get, FlagServer.Flags("staging", "/new-checkout"))).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManagementApi_ClientKey_401AndNothingChanged()
    {
        await using var flags = await FlagServer.StartAsync();
        var (key, _) = await flags.CreateKeyAsync("staging");

        var attempt = await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("staging"), FlagServer.Checkout, key);

        Assert.Equal(401, attempt.Status);
        Assert.Equal("""{"version":1,"flags":[]}""", (await flags.SendAsync(HttpMethod.Get, FlagServer.Flags("staging"))).Body);
    }

    [Fact]
    public async Task ClientKeys_CreateListRevoke_StoredHashedAndAudited()
    {
        await using var flags = await FlagServer.StartAsync();

        var (key, id) = await flags.CreateKeyAsync("staging");
        var list = await flags.SendAsync(HttpMethod.Get, "/api/v1/projects/web/environments/staging/flag-keys");
        var revoked = await flags.SendAsync(HttpMethod.Delete, $"/api/v1/projects/web/environments/staging/flag-keys/{id}");
        var again = await flags.SendAsync(HttpMethod.Delete, $"/api/v1/projects/web/environments/staging/flag-keys/{id}");
        var database = await File.ReadAllBytesAsync(Path.Combine(flags.Server.DataDirectory, "shipgate.db"), Ct).DefaultTimeout();

        Assert.StartsWith("sgk_", key, StringComparison.Ordinal);
        Assert.DoesNotContain(key, list.Body, StringComparison.Ordinal);
        Assert.Contains(key[..12], list.Body, StringComparison.Ordinal);
        Assert.Equal(204, revoked.Status);
        Assert.Equal(404, again.Status);
        Assert.DoesNotContain(key, System.Text.Encoding.UTF8.GetString(database), StringComparison.Ordinal);
        Assert.Equal(["flag-key.create", "flag-key.revoke"], (await flags.AuditAsync("flag-key.")).Select(e => e.Action));
    }
}
