using Shipgate.Delivery.Rollouts;

namespace Shipgate.Delivery.Tests.Rollouts;

/// <summary>An environment's flags held in memory for a flag ramp: the state a test sets, and every change with its reason.</summary>
public sealed class FakeFlagRampControl : IFlagRampControl
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, FlagRampState> _flags = new(StringComparer.Ordinal);

    /// <summary>Every change in order: <c>percent 5</c>, <c>off</c>.</summary>
    public List<string> Changes { get; } = [];

    /// <summary>The reasons given with each change, in order.</summary>
    public List<string> Reasons { get; } = [];

    /// <summary>A refusal every change gets; null: changes are made.</summary>
    public string? Refusal { get; set; }

    public void Set(string key, FlagRampState state)
    {
        lock (_lock)
        {
            _flags[key] = state;
        }
    }

    public FlagRampState? Get(string key)
    {
        lock (_lock)
        {
            return _flags.GetValueOrDefault(key);
        }
    }

    public Task<FlagRampState?> ReadAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(Get(key));

    public Task<string?> SetPercentAsync(string key, double percent, string reason, CancellationToken cancellationToken = default) =>
        Change(key, $"percent {percent:0.#}", reason, state => state with { Enabled = true, Percent = percent });

    public Task<string?> TurnOffAsync(string key, string reason, CancellationToken cancellationToken = default) =>
        Change(key, "off", reason, state => state with { Enabled = false });

    private Task<string?> Change(string key, string change, string reason, Func<FlagRampState, FlagRampState> apply)
    {
        lock (_lock)
        {
            if (Refusal is not null)
            {
                return Task.FromResult<string?>(Refusal);
            }

            _flags[key] = apply(_flags[key]);
            Changes.Add(change);
            Reasons.Add(reason);
            return Task.FromResult<string?>(null);
        }
    }
}
