using Shipgate.Core.Diagnostics;
using Shipgate.Delivery.Configuration;

namespace Shipgate.Delivery.Tests.Configuration;

/// <summary>Loads shipgate.yml text for tests; the file is named "shipgate.yml".</summary>
internal static class TestConfigs
{
    public const string FileName = "shipgate.yml";

    /// <summary>The example of DESIGN.md ("Configuration as code"), as written there.</summary>
    public const string DesignExample = """
        services:
          web:
            run: python3 app.py          # started in the unpacked artifact directory
            port-env: PORT               # the edge passes the port to listen on (default PORT)
            health: /health              # 200 means healthy (default /health)
            instances: 2
        environments:
          staging:
            mode: deployment             # every passing commit deploys by itself
            strategy: rolling
          production:
            mode: delivery               # people approve; switch to deployment when ready
            branches: [main]
            approval:
              reviewers: [alice, team:release-managers]
              required: 1
              prevent-self-review: true
              expires-after: 24h
            freeze:
              - cron: "0 17 * * FRI"
                duration: 63h
                timezone: Europe/Berlin
            strategy:
              canary:
                steps:
                  - weight: 10
                  - analysis: { duration: 2m }
                  - weight: 50
                  - analysis: { duration: 2m }
                  - weight: 100
            rollback: automatic

        """;

    public static ShipgateConfigLoadResult Load(string yaml) => ShipgateConfigLoader.LoadText(yaml, FileName);

    /// <summary>Loads text that must be valid, and returns its config.</summary>
    public static ShipgateConfig Valid(string yaml)
    {
        var result = Load(yaml);
        Assert.Empty(result.Diagnostics);
        return Assert.IsType<ShipgateConfig>(result.Config);
    }

    /// <summary>One environment named "e" with the given lines (indented under it by the caller: four spaces).</summary>
    public static string Environment(string body) => "environments:\n  e:\n" + body;

    public static SourceLocation At(int line, int column) => new(FileName, line, column);

    /// <summary>The only diagnostic, which must be an error; the config must then be null.</summary>
    public static Diagnostic SingleError(string yaml)
    {
        var result = Load(yaml);
        Assert.Null(result.Config);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        return error;
    }
}
