using System.Text.Json;
using Shipgate.Flags;
using Shipgate.Flags.Tests.Infrastructure;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Flags;

/// <summary>
/// The real OpenFeature Node SDK with its OFREP provider (committed package.json and lock file, installed with npm ci)
/// evaluates flags of every type against the real <c>shipgate up</c>, configured as a service the edge runs is.
/// </summary>
public sealed class OpenFeatureNodeTests
{
    private const string Document = """
        [
          {"key":"new-checkout","type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off",
           "rules":[{"targets":["alice"],"variant":"on"}]},
          {"key":"banner","type":"string","variants":{"red":"#d00","green":"#0a0","blue":"#00d"},"defaultVariant":"red",
           "rules":[{"constraints":[{"contextName":"plan","operator":"IN","values":["pro"]}],"variant":"blue"},
                    {"rollout":{"percentage":100,"variants":[{"name":"green"},{"name":"blue"}]}}]},
          {"key":"page-size","type":"number","variants":{"small":10,"large":99.5},"defaultVariant":"large"},
          {"key":"theme","type":"object","variants":{"light":{"bg":"#fff","dense":false},"dark":{"bg":"#000","dense":true}},"defaultVariant":"dark"}
        ]
        """;

    [Fact]
    public async Task OfrepProvider_EveryTypeTargetingSplitAndMissingFlag_AsTheLibraryEvaluates()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Flags", "OpenFeature");
        await NodePackages.InstallAsync(folder, "the OpenFeature OFREP tests");
        using var repository = new TestRepository();
        repository.Write("shipgate.yml", FlagServer.Config);
        repository.Commit("environments");
        await using var up = await ShipgateUp.StartAsync();
        var added = await up.RunAsync(["project", "add", "web", "--repo", repository.Root]);
        Assert.True(added.ExitCode == 0, added.ToString());
        using var flags = JsonDocument.Parse(Document);
        foreach (var flag in flags.RootElement.EnumerateArray())
        {
            var file = Path.Combine(up.DataDirectory, "flag.json");
            await File.WriteAllTextAsync(file, flag.GetRawText(), Ct).DefaultTimeout();
            var created = await up.RunAsync(["flag", "create", flag.GetProperty("key").GetString()!, "--project", "web", "--env", "staging", "--file", file]);
            Assert.True(created.ExitCode == 0, created.ToString());
        }

        var key = await up.RunAsync(["flag", "key", "create", "--project", "web", "--env", "staging"]);
        var requests = Path.Combine(up.DataDirectory, "requests.json");
        await File.WriteAllTextAsync(requests, """
            [
              {"type":"boolean","key":"new-checkout","default":false,"context":{"targetingKey":"alice"}},
              {"type":"boolean","key":"new-checkout","default":true,"context":{"targetingKey":"bob"}},
              {"type":"string","key":"banner","default":"none","context":{"targetingKey":"user-7","plan":"pro"}},
              {"type":"string","key":"banner","default":"none","context":{"targetingKey":"user-7"}},
              {"type":"string","key":"banner","default":"none","context":{"targetingKey":"user-8"}},
              {"type":"number","key":"page-size","default":1,"context":{"targetingKey":"bob"}},
              {"type":"object","key":"theme","default":{},"context":{"targetingKey":"bob"}},
              {"type":"boolean","key":"no-such-flag","default":true,"context":{"targetingKey":"bob"}}
            ]
            """, Ct).DefaultTimeout();

        var (exitCode, output, error) = await ExternalProcess.RunAsync("node", ["evaluate.js", requests], folder, TimeSpan.FromMinutes(2), new Dictionary<string, string>
        {
            ["SHIPGATE_FLAGS_URL"] = up.Url.ToString().TrimEnd('/'),
            ["SHIPGATE_FLAGS_KEY"] = key.LastLine,
        });

        Assert.True(exitCode == 0, $"node evaluate.js exited with {exitCode}: {error}");
        var results = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        var library = FlagConfiguration.Parse($$"""{"version":1,"flags":{{Document}}}""").Configuration!;
        string Split(string user) => library.EvaluateString("banner", "none", new FlagContext { TargetingKey = user }).Variant!;
        Assert.Equal("""{"key":"new-checkout","value":true,"variant":"on","reason":"TARGETING_MATCH","errorCode":null}""", results[0].GetRawText());
        Assert.Equal("""{"key":"new-checkout","value":false,"variant":"off","reason":"DEFAULT","errorCode":null}""", results[1].GetRawText());
        Assert.Equal("""{"key":"banner","value":"#00d","variant":"blue","reason":"TARGETING_MATCH","errorCode":null}""", results[2].GetRawText());
        Assert.Equal(("SPLIT", Split("user-7")), (results[3].GetProperty("reason").GetString(), results[3].GetProperty("variant").GetString()));
        Assert.Equal(("SPLIT", Split("user-8")), (results[4].GetProperty("reason").GetString(), results[4].GetProperty("variant").GetString()));
        Assert.Equal("""{"key":"page-size","value":99.5,"variant":"large","reason":"STATIC","errorCode":null}""", results[5].GetRawText());
        Assert.Equal("""{"key":"theme","value":{"bg":"#000","dense":true},"variant":"dark","reason":"STATIC","errorCode":null}""", results[6].GetRawText());
        Assert.Equal("FLAG_NOT_FOUND", results[7].GetProperty("errorCode").GetString());
        Assert.True(results[7].GetProperty("value").GetBoolean());
    }
}
