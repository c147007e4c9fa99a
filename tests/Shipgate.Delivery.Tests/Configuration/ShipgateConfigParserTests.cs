using Shipgate.Core.Diagnostics;
using Shipgate.Delivery.Configuration;
using static Shipgate.Delivery.Tests.Configuration.TestConfigs;

namespace Shipgate.Delivery.Tests.Configuration;

public sealed class ShipgateConfigParserTests
{
    [Fact]
    public void Parse_EmptyFile_IsAnEmptyConfig()
    {
        var config = Valid("");

        Assert.Empty(config.Services);
        Assert.Empty(config.Environments);
    }

    [Fact]
    public void Parse_RootIsASequence_IsError()
    {
        var error = SingleError("- services\n");

        Assert.Equal(At(1, 1), error.Location);
        Assert.Equal("shipgate.yml must be a mapping with 'services' and 'environments', not a sequence", error.Message);
    }

    [Fact]
    public void Parse_YamlSyntaxError_IsPositionedAndGivesNoConfig()
    {
        var result = Load("environments:\n  e:\n    mode: [delivery\n");

        Assert.Null(result.Config);
        var error = Assert.Single(result.Errors);
        Assert.Equal(FileName, error.Location!.File);
        Assert.True(error.Location.Line >= 3, error.ToString());
    }

    [Fact]
    public void Parse_DuplicateKey_IsErrorAtTheSecond()
    {
        var error = SingleError(Environment("    mode: deployment\n    mode: delivery\n"));

        Assert.Equal(At(4, 5), error.Location);
        Assert.Equal("'mode' is already defined at line 3", error.Message);
    }

    [Fact]
    public void Parse_MisspeltTopLevelKey_SuggestsTheKey()
    {
        var error = SingleError("enviroments:\n  e: {}\n");

        Assert.Equal(At(1, 1), error.Location);
        Assert.Equal("unknown key 'enviroments' in shipgate.yml; did you mean 'environments'?", error.Message);
    }

    [Fact]
    public void Parse_SeveralErrors_AreAllReportedInFileOrder()
    {
        var result = Load("""
            services:
              web:
                instances: 0
            environments:
              production:
                wait-time: 5m
                rollback: automatc
            """);

        Assert.Null(result.Config);
        Assert.Equal(
            [
                "shipgate.yml:2:3: error: service 'web' needs 'run': the command that starts it in the unpacked artifact",
                "shipgate.yml:3:16: error: 'services.web.instances' must be a whole number from 1 to 64, not '0'",
                "shipgate.yml:6:5: error: unknown key 'wait-time' in 'environments.production'; did you mean 'wait-timer'?",
                "shipgate.yml:7:15: error: 'environments.production.rollback' must be automatic or manual, not 'automatc'; did you mean 'automatic'?",
            ],
            result.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Parse_ServiceWithOnlyRun_HasTheDefaults()
    {
        var service = Assert.Single(Valid("services:\n  api:\n    run: ./api\n").Services);

        Assert.Equal(("api", "./api", "PORT", "/health", 1), (service.Name, service.Run, service.PortEnv, service.Health, service.Instances));
        Assert.Equal(At(2, 3), service.Location);
    }

    [Theory]
    [InlineData("port-env: 9PORT", 15, "'services.web.port-env' must be an environment variable name (letters, digits and '_', not starting with a digit), not '9PORT'")]
    [InlineData("health: healthz", 13, "'services.web.health' must be a path starting with '/', such as /health, not 'healthz'")]
    [InlineData("instances: 2.5", 16, "'services.web.instances' must be a whole number from 1 to 64, not '2.5'")]
    [InlineData("instances: 65", 16, "'services.web.instances' must be a whole number from 1 to 64, not '65'")]
    [InlineData("replicas: 2", 5, "unknown key 'replicas' in 'services.web'")]
    [InlineData("port-env: [a, b]", 15, "'services.web.port-env' must be a string, not a sequence")]
    public void Parse_BadServiceValue_IsErrorAtTheValue(string line, int column, string message)
    {
        var error = SingleError($"services:\n  web:\n    run: ./web\n    {line}\n");

        Assert.Equal(At(4, column), error.Location);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("my_web")]
    [InlineData("-web")]
    [InlineData("web.app")]
    public void Parse_ServiceNameNotADnsLabel_IsError(string name)
    {
        var error = SingleError($"services:\n  {name}:\n    run: x\n");

        Assert.Equal(At(2, 3), error.Location);
        Assert.StartsWith($"service name '{name}' is invalid; use letters, digits and '-'", error.Message);
    }

    [Fact]
    public void Parse_EnvironmentNamesDifferingInCase_AreDuplicates()
    {
        var error = SingleError("environments:\n  production: {}\n  Production: {}\n");

        Assert.Equal(At(3, 3), error.Location);
        Assert.Equal("'Production' is already defined at line 2", error.Message);
    }

    [Fact]
    public void Parse_EnvironmentWithoutRules_DeploysAutomaticallyWithTheDefaults()
    {
        var environment = Assert.Single(Valid("environments:\n  dev:\n").Environments);

        Assert.Equal(EnvironmentMode.Deployment, environment.Mode);
        Assert.Null(environment.Branches);
        Assert.Null(environment.Approval);
        Assert.Null(environment.WaitTimer);
        Assert.Empty(environment.Freeze);
        Assert.Same(RollingStrategy.Default, environment.Strategy);
        Assert.Equal(RollbackMode.Automatic, environment.Rollback);
        Assert.Empty(environment.Hosts);
    }

    [Fact]
    public void Parse_ApprovalWithoutMode_IsDeliveryMode()
    {
        var environment = Assert.Single(Valid(Environment("    approval:\n      reviewers: alice\n")).Environments);

        Assert.Equal(EnvironmentMode.Delivery, environment.Mode);
        Assert.Equal([new ReviewerReference("alice", false)], environment.Approval!.Reviewers);
    }

    [Fact]
    public void Parse_DeliveryModeWithoutApproval_IsErrorAtTheMode()
    {
        var error = SingleError(Environment("    mode: delivery\n"));

        Assert.Equal(At(3, 11), error.Location);
        Assert.Equal("'environments.e.mode' is delivery, which needs an 'approval' block naming who approves (or use mode: deployment)", error.Message);
    }

    [Fact]
    public void Parse_DeploymentModeWithApproval_WarnsThatTheApprovalIsNotApplied()
    {
        var result = Load(Environment("    mode: deployment\n    approval:\n      reviewers: [alice]\n"));

        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(At(4, 5), warning.Location);
        Assert.Equal("'environments.e.approval' is not applied while mode is deployment; it applies when the mode is delivery", warning.Message);
        var environment = Assert.Single(result.Config!.Environments);
        Assert.Equal(EnvironmentMode.Deployment, environment.Mode);
        Assert.NotNull(environment.Approval);
    }

    [Theory]
    [InlineData("secrets", "environment secrets are not declared in shipgate.yml, so that their values stay out of the repository; set them with 'shipgate secret set --env e NAME'")]
    [InlineData("vars", "environment vars are not declared in shipgate.yml, so that their values stay out of the repository; set them with 'shipgate var set --env e NAME'")]
    public void Parse_SecretsOrVars_SayWhereTheyAreSet(string key, string message)
    {
        var error = SingleError(Environment($"    {key}:\n      A: b\n"));

        Assert.Equal(At(3, 5), error.Location);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("mode: delivry", 11, "'environments.e.mode' must be delivery or deployment, not 'delivry'; did you mean 'delivery'?")]
    [InlineData("wait-timer: 30", 17, "'environments.e.wait-timer' must be a duration such as 90s, 30m, 24h, 7d or 1h30m, not '30'")]
    [InlineData("wait-timer: 31d", 17, "'environments.e.wait-timer' must be from 1s to 30d, not '31d'")]
    [InlineData("wait-timer: 5m30h", 17, "'environments.e.wait-timer' must be a duration such as 90s, 30m, 24h, 7d or 1h30m, not '5m30h'")]
    [InlineData("branches: []", 15, "'environments.e.branches' lists no branch; remove it to allow every branch")]
    [InlineData("branches: ['!main']", 15, "'environments.e.branches' has only '!' patterns, which exclude refs but allow none; add the branches to allow first")]
    [InlineData("branches: [main, 'release/[a']", 31, "invalid pattern 'release/[a' in 'environments.e.branches': '[' has no closing ']'")]
    [InlineData("branches: [main, '']", 22, "'environments.e.branches' must not be empty")]
    [InlineData("branches: [main, ~]", 22, "'environments.e.branches' must not be empty")]
    [InlineData("rollback: auto", 15, "'environments.e.rollback' must be automatic or manual, not 'auto'")]
    [InlineData("hosts: [shop.example.com, 'http://x']", 31, "'http://x' in 'environments.e.hosts' is not a host name (labels of letters, digits and '-' separated by dots, without scheme or port)")]
    [InlineData("hosts: [a.example, A.example]", 24, "host 'a.example' is listed twice in 'environments.e.hosts'")]
    [InlineData("freeze: {cron: '0 17 * * FRI', duration: 1h}", 13, "'environments.e.freeze' must be a sequence of windows (- cron: ..., duration: ..., timezone: ...), not a mapping")]
    public void Parse_BadEnvironmentValue_IsErrorAtTheValue(string line, int column, string message)
    {
        var error = SingleError(Environment($"    {line}\n"));

        Assert.Equal(At(3, column), error.Location);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_Branches_KeepTheirOrderAndNegations()
    {
        var environment = Assert.Single(Valid(Environment("    branches: [main, 'release/*', '!release/old', 'refs/tags/v*']\n")).Environments);

        Assert.Equal(["main", "release/*", "!release/old", "refs/tags/v*"], environment.Branches!.Select(b => b.Text));
        Assert.True(environment.Branches![2].IsNegation);
    }

    [Fact]
    public void Parse_Hosts_AreLowerCased()
    {
        var environment = Assert.Single(Valid(Environment("    hosts: [Shop.Example.com, admin.example.com]\n")).Environments);

        Assert.Equal(["shop.example.com", "admin.example.com"], environment.Hosts);
    }

    [Fact]
    public void Parse_HostClaimedByTwoEnvironments_IsErrorAtTheSecond()
    {
        var error = SingleError("environments:\n  staging:\n    hosts: shop.example\n  production:\n    hosts: [shop.example]\n");

        Assert.Equal(At(5, 13), error.Location);
        Assert.Equal("host 'shop.example' is already claimed by environment 'staging'", error.Message);
    }

    [Fact]
    public void Parse_WaitTimer_IsADuration()
    {
        var environment = Assert.Single(Valid(Environment("    wait-timer: 1h30m\n")).Environments);

        Assert.Equal(TimeSpan.FromMinutes(90), environment.WaitTimer);
    }
}
