using Shipgate.Core.Triggers;
using Shipgate.Core.Workflows;

namespace Shipgate.Delivery.Configuration;

internal sealed partial class ShipgateConfigParser
{
    private static readonly string[] EnvironmentKeys = ["mode", "branches", "approval", "wait-timer", "freeze", "strategy", "rollback", "hosts", "smoke", "watch", "rollback-window"];
    private static readonly string[] Modes = ["delivery", "deployment"];
    private static readonly string[] RollbackModes = ["automatic", "manual"];

    /// <summary>GitHub's limit for a wait timer: 43,200 minutes.</summary>
    internal static readonly TimeSpan MaxWaitTimer = TimeSpan.FromDays(30);

    private List<EnvironmentDefinition> ReadEnvironments(TemplateToken token)
    {
        var environments = new List<EnvironmentDefinition>();
        var map = ReadMapping(token, "environments");
        if (map is null)
        {
            return environments;
        }

        var hostOwners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in map.Pairs)
        {
            var nameIsValid = CheckName(name, "environment");
            if (ReadEnvironment(name, value, hostOwners) is { } environment && nameIsValid)
            {
                environments.Add(environment);
            }
        }

        return environments;
    }

    private EnvironmentDefinition? ReadEnvironment(ScalarToken name, TemplateToken token, Dictionary<string, string> hostOwners)
    {
        var what = $"environments.{name.Value}";
        var map = ReadMapping(token, what);
        if (map is null)
        {
            return null;
        }

        ScalarToken? mode = null;
        IReadOnlyList<FilterPattern>? branches = null;
        ApprovalDefinition? approval = null;
        ScalarToken? approvalKey = null;
        TimeSpan? waitTimer = null;
        IReadOnlyList<FreezeWindow> freeze = [];
        RolloutStrategy strategy = RollingStrategy.Default;
        var rollback = RollbackMode.Automatic;
        IReadOnlyList<string> hosts = [];
        IReadOnlyList<SmokeCheck> smoke = [];
        var watch = EnvironmentDefinition.DefaultWatch;
        var rollbackWindow = EnvironmentDefinition.DefaultRollbackWindow;
        ScalarToken? rollbackWindowKey = null;
        foreach (var (key, value) in map.Pairs)
        {
            switch (key.Value)
            {
                case "mode":
                    mode = ReadChoice(value, $"{what}.mode", Modes);
                    break;
                case "branches":
                    branches = ReadBranches(value, $"{what}.branches");
                    break;
                case "approval":
                    approvalKey = key;
                    approval = ReadApproval(value, $"{what}.approval");
                    break;
                case "wait-timer":
                    waitTimer = ReadDuration(value, $"{what}.wait-timer", TimeSpan.FromSeconds(1), MaxWaitTimer);
                    break;
                case "freeze":
                    freeze = ReadFreeze(value, $"{what}.freeze");
                    break;
                case "strategy":
                    strategy = ReadStrategy(value, $"{what}.strategy") ?? strategy;
                    break;
                case "rollback":
                    rollback = ReadChoice(value, $"{what}.rollback", RollbackModes)?.Value == "manual" ? RollbackMode.Manual : RollbackMode.Automatic;
                    break;
                case "hosts":
                    hosts = ReadHosts(value, $"{what}.hosts", name.Value, hostOwners);
                    break;
                case "smoke":
                    smoke = ReadSmoke(value, $"{what}.smoke");
                    break;
                case "watch":
                    watch = ReadDuration(value, $"{what}.watch", TimeSpan.Zero, TimeSpan.FromDays(1)) ?? watch;
                    break;
                case "rollback-window":
                    rollbackWindowKey = key;
                    rollbackWindow = ReadDuration(value, $"{what}.rollback-window", TimeSpan.Zero, TimeSpan.FromDays(7)) ?? rollbackWindow;
                    break;
                case "secrets" or "vars" or "variables":
                    Error(key.Location, $"environment {key.Value} are not declared in shipgate.yml, so that their values stay out of the repository; set them with 'shipgate {(key.Value == "secrets" ? "secret" : "var")} set --env {name.Value} NAME'");
                    break;
                default:
                    UnknownKey(key, EnvironmentKeys, what);
                    break;
            }
        }

        var effectiveMode = mode?.Value switch
        {
            "delivery" => EnvironmentMode.Delivery,
            "deployment" => EnvironmentMode.Deployment,
            _ => approvalKey is not null ? EnvironmentMode.Delivery : EnvironmentMode.Deployment,
        };
        if (mode is { Value: "delivery" } && approvalKey is null)
        {
            Error(mode.Location, $"'{what}.mode' is delivery, which needs an 'approval' block naming who approves (or use mode: deployment)");
        }

        if (mode is { Value: "deployment" } && approvalKey is not null)
        {
            Warning(approvalKey.Location, $"'{what}.approval' is not applied while mode is deployment; it applies when the mode is delivery");
        }

        if (rollbackWindowKey is not null && strategy is not BlueGreenStrategy)
        {
            Warning(rollbackWindowKey.Location, $"'{what}.rollback-window' applies to strategy blue-green only; a rolling deployment stops the old release after its watch");
        }

        CheckCanaryApprovals(strategy, approvalKey is not null, what);
        return new EnvironmentDefinition
        {
            Name = name.Value,
            Location = name.Location,
            Mode = effectiveMode,
            Branches = branches,
            Approval = approval,
            WaitTimer = waitTimer,
            Freeze = freeze,
            Strategy = strategy,
            Rollback = rollback,
            Hosts = hosts,
            Smoke = smoke,
            Watch = watch,
            RollbackWindow = rollbackWindow,
        };
    }

    private List<FilterPattern>? ReadBranches(TemplateToken token, string what)
    {
        var items = ReadStringList(token, what);
        if (items is null)
        {
            return null;
        }

        if (items.Count == 0)
        {
            Error(token.Location, $"'{what}' lists no branch; remove it to allow every branch");
            return null;
        }

        var patterns = new List<FilterPattern>(items.Count);
        foreach (var item in items)
        {
            if (FilterPattern.TryCreate(item.Value, out var pattern, out var error, out var index))
            {
                patterns.Add(pattern!);
            }
            else
            {
                Error(item.GetLocation(index), $"invalid pattern '{item.Value}' in '{what}': {error}");
            }
        }

        if (patterns.Count > 0 && patterns.All(p => p.IsNegation))
        {
            Error(token.Location, $"'{what}' has only '!' patterns, which exclude refs but allow none; add the branches to allow first");
        }

        return patterns;
    }

    private List<string> ReadHosts(TemplateToken token, string what, string environment, Dictionary<string, string> hostOwners)
    {
        var hosts = new List<string>();
        foreach (var item in ReadStringList(token, what) ?? [])
        {
            var host = item.Value.ToLowerInvariant();
            if (!IsHostName(host))
            {
                Error(item.Location, $"'{item.Value}' in '{what}' is not a host name (labels of letters, digits and '-' separated by dots, without scheme or port)");
                continue;
            }

            if (hostOwners.TryGetValue(host, out var owner))
            {
                Error(item.Location, owner == environment
                    ? $"host '{host}' is listed twice in '{what}'"
                    : $"host '{host}' is already claimed by environment '{owner}'");
                continue;
            }

            hostOwners.Add(host, environment);
            hosts.Add(host);
        }

        return hosts;
    }

    private static bool IsHostName(string host)
    {
        if (host.Length is 0 or > 253)
        {
            return false;
        }

        foreach (var label in host.Split('.'))
        {
            if (!DnsLabelRegex().IsMatch(label))
            {
                return false;
            }
        }

        return true;
    }
}
