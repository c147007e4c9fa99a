using Shipgate.Server.Flags;

namespace Shipgate.Server.Tests.Flags;

public sealed class FlagDeployKeysTests
{
    [Fact]
    public async Task DeployVariables_FirstDeployMakesTheKey_LaterDeploysReuseIt_ARevokedOneIsReplaced()
    {
        await using var flags = await FlagServer.StartAsync();
        await flags.SendAsync(HttpMethod.Post, FlagServer.Flags("staging"), FlagServer.Checkout);
        var keys = flags.Server.Service<FlagDeployKeys>();
        var projectId = (await flags.Server.Service<global::Shipgate.Server.Hosting.ServerStore>().Store.Projects.GetByNameAsync("web", Ct).DefaultTimeout())!.Id;

        var first = await keys.AddAsync(projectId, "staging", new Dictionary<string, string> { ["REGION"] = "eu" }, Ct).DefaultTimeout();
        var second = await keys.AddAsync(projectId, "staging", new Dictionary<string, string>(), Ct).DefaultTimeout();
        var read = await flags.ReadAsync(HttpMethod.Get, "/flags/v1/document", first[FlagDeployKeys.KeyVariable]);
        var production = await flags.ReadAsync(HttpMethod.Get, "/flags/v1/document", first[FlagDeployKeys.KeyVariable], environment: "production");
        var id = (await flags.SendAsync(HttpMethod.Get, "/api/v1/projects/web/environments/staging/flag-keys")).Body.Split("\"id\":")[1].Split(',')[0];
        await flags.SendAsync(HttpMethod.Delete, $"/api/v1/projects/web/environments/staging/flag-keys/{id}");
        var third = await keys.AddAsync(projectId, "staging", new Dictionary<string, string>(), Ct).DefaultTimeout();

        Assert.Equal("eu", first["REGION"]);
        Assert.Equal(flags.Server.Url.ToString().TrimEnd('/'), first[FlagDeployKeys.UrlVariable]);
        Assert.StartsWith("sgk_", first[FlagDeployKeys.KeyVariable], StringComparison.Ordinal);
        Assert.Equal(first[FlagDeployKeys.KeyVariable], second[FlagDeployKeys.KeyVariable]);
        Assert.Equal(200, read.Status);
        Assert.Contains("new-checkout", read.Body, StringComparison.Ordinal);
        Assert.Equal(403, production.Status);
        Assert.NotEqual(first[FlagDeployKeys.KeyVariable], third[FlagDeployKeys.KeyVariable]);
        Assert.Equal(200, (await flags.ReadAsync(HttpMethod.Get, "/flags/v1/document", third[FlagDeployKeys.KeyVariable])).Status);
        Assert.Equal(2, (await flags.AuditAsync("flag-key.create")).Count);
    }
}
