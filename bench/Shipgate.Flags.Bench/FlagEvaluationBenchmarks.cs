using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;

namespace Shipgate.Flags.Bench;

/// <summary>
/// One flag with three rules and a percentage rollout, evaluated for a rotating population of users, by Shipgate's
/// evaluator and by Microsoft.FeatureManagement's targeting filter on the equivalent configuration: users alice and
/// bob, the group beta, the groups pro and enterprise, then 25% of everyone else.
/// </summary>
[MemoryDiagnoser]
public class FlagEvaluationBenchmarks
{
    private const int Population = 1024;
    private static readonly string[] Groups = ["free", "free", "free", "beta", "pro", "enterprise", "free", "trial"];

    private readonly FlagContext[] _contexts = new FlagContext[Population];
    private readonly TargetingContext[] _targetingContexts = new TargetingContext[Population];
    private FlagConfiguration _configuration = null!;
    private IFeatureManager _featureManager = null!;
    private ServiceProvider _services = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _configuration = FlagConfiguration.Parse("""
            {"version":1,"flags":[{"key":"checkout","type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off","rules":[
              {"targets":["alice","bob"],"variant":"on"},
              {"constraints":[{"contextName":"group","operator":"IN","values":["beta"]}],"variant":"on"},
              {"constraints":[{"contextName":"group","operator":"IN","values":["pro","enterprise"]}],"variant":"on"},
              {"rollout":{"percentage":25,"variants":[{"name":"on"}]}}]}]}
            """).Configuration ?? throw new InvalidOperationException("The benchmark's flag document does not parse.");

        var audience = "FeatureManagement:checkout:EnabledFor:0:Parameters:Audience:";
        var settings = new Dictionary<string, string?>
        {
            ["FeatureManagement:checkout:EnabledFor:0:Name"] = "Microsoft.Targeting",
            [audience + "Users:0"] = "alice",
            [audience + "Users:1"] = "bob",
            [audience + "Groups:0:Name"] = "beta",
            [audience + "Groups:0:RolloutPercentage"] = "100",
            [audience + "Groups:1:Name"] = "pro",
            [audience + "Groups:1:RolloutPercentage"] = "100",
            [audience + "Groups:2:Name"] = "enterprise",
            [audience + "Groups:2:RolloutPercentage"] = "100",
            [audience + "DefaultRolloutPercentage"] = "25",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddFeatureManagement();
        _services = services.BuildServiceProvider();
        _featureManager = _services.GetRequiredService<IFeatureManager>();

        for (var i = 0; i < Population; i++)
        {
            var user = i % 100 == 0 ? "alice" : $"user-{i}";
            var group = Groups[i % Groups.Length];
            _contexts[i] = new FlagContext { TargetingKey = user }.Set("group", group);
            _targetingContexts[i] = new TargetingContext { UserId = user, Groups = [group] };
        }

        // Both must serve every targeted user before their speed means anything (the percentages hash differently,
        // so the other users' answers may differ).
        for (var i = 0; i < Population; i++)
        {
            var targeted = _contexts[i].TargetingKey == "alice" || Groups[i % Groups.Length] is "beta" or "pro" or "enterprise";
            if (targeted && !(_configuration.EvaluateBoolean("checkout", false, _contexts[i]).Value
                && _featureManager.IsEnabledAsync("checkout", _targetingContexts[i]).GetAwaiter().GetResult()))
            {
                throw new InvalidOperationException($"The two configurations disagree on targeted user {i}.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, Description = "Shipgate.Flags")]
    public bool Shipgate() => _configuration.EvaluateBoolean("checkout", false, _contexts[_next++ & (Population - 1)]).Value;

    [Benchmark(Description = "Microsoft.FeatureManagement targeting")]
    public Task<bool> FeatureManagement() => _featureManager.IsEnabledAsync("checkout", _targetingContexts[_next++ & (Population - 1)]);
}
