using Shipgate.Flags.Hashing;

namespace Shipgate.Flags.Compiled;

/// <summary>
/// A percentage rollout over variants, bucketing as unleash-client does: the flexible rollout strategy
/// (<c>lib/strategy/flexible-rollout-strategy.js</c>) decides who is in, its variant hashing (<c>lib/variant.js</c>,
/// seed 86028157) which variant they get.
/// </summary>
internal sealed class CompiledRollout
{
    public const uint StrategySeed = 0;
    public const uint VariantSeed = 86028157;

    private readonly double _percentage;
    private readonly Murmur3Prefix _bucketPrefix;
    private readonly Murmur3Prefix _variantPrefix;
    private readonly Stickiness _stickiness;
    private readonly ContextField _field;
    private readonly string _stickinessName;
    private readonly int[] _variants;
    private readonly int[] _weights;
    private readonly int _totalWeight;
    private readonly int _onlyVariant = -1;

    /// <param name="percentage">The share of contexts in the rollout, 0 to 100.</param>
    /// <param name="groupId">Hashed before the stickiness value.</param>
    /// <param name="stickiness"><c>default</c>, <c>random</c> or a context attribute's name.</param>
    /// <param name="variants">Variant indexes into the flag's variants.</param>
    /// <param name="weights">Their weights out of 1000, variable ones already divided.</param>
    public CompiledRollout(double percentage, string groupId, string stickiness, int[] variants, int[] weights)
    {
        _percentage = percentage;
        var prefix = Murmur3.UnleashBytes(groupId + ":");
        _bucketPrefix = Murmur3.Prepare(prefix, StrategySeed);
        _variantPrefix = Murmur3.Prepare(prefix, VariantSeed);
        _stickinessName = stickiness;
        _stickiness = stickiness switch
        {
            "default" => Stickiness.Default,
            "random" => Stickiness.Random,
            _ => Stickiness.Field,
        };
        _field = ContextFields.Parse(stickiness);
        _variants = variants;
        _weights = weights;
        var weighted = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            _totalWeight += weights[i];
            if (weights[i] > 0)
            {
                weighted++;
                _onlyVariant = variants[i];
            }
        }

        if (weighted != 1)
        {
            _onlyVariant = -1;
        }
    }

    private enum Stickiness
    {
        Default,
        Random,
        Field,
    }

    /// <summary>Whether the context is in the rollout and, if so, the variant index it gets.</summary>
    public bool TrySelect(FlagContext context, Random random, out int variant)
    {
        variant = -1;
        if (!IsIn(context, random))
        {
            return false;
        }

        if (_onlyVariant >= 0)
        {
            // One variant carries all the weight: every hash would pick it.
            variant = _onlyVariant;
            return true;
        }

        var seed = VariantStickinessValue(context);
        var target = seed is null
            ? random.Next(_totalWeight) + 1
            : (int)(Murmur3.Hash32Unleash(_variantPrefix, seed) % (uint)_totalWeight) + 1;
        var counter = 0;
        for (var i = 0; i < _weights.Length; i++)
        {
            if (_weights[i] == 0)
            {
                continue;
            }

            counter += _weights[i];
            if (counter >= target)
            {
                variant = _variants[i];
                return true;
            }
        }

        return false;
    }

    /// <summary>The bucket, 1 to 100, a stickiness value falls in for this group.</summary>
    public int Bucket(string stickinessValue) => (int)(Murmur3.Hash32Unleash(_bucketPrefix, stickinessValue) % 100) + 1;

    private bool IsIn(FlagContext context, Random random)
    {
        if (_percentage <= 0)
        {
            return false;
        }

        string? id;
        switch (_stickiness)
        {
            case Stickiness.Default:
                // The flexible rollout's default: userId, then sessionId, then random (not remoteAddress).
                id = NonEmpty(context.TargetingKey) ?? NonEmpty(context.SessionId);
                break;
            case Stickiness.Random:
                id = null;
                break;
            default:
                id = NonEmpty(context.Resolve(_field, _stickinessName));
                if (id is null)
                {
                    // A named stickiness the context lacks keeps the context out, as in Unleash.
                    return false;
                }

                break;
        }

        var bucket = id is null ? random.Next(100) + 1 : Bucket(id);
        return bucket <= _percentage;
    }

    // The variant's stickiness: a named attribute (random when absent), or by default userId, sessionId, then
    // remoteAddress (unleash-client's getSeed); null means random.
    private string? VariantStickinessValue(FlagContext context) => _stickiness switch
    {
        Stickiness.Default => NonEmpty(context.TargetingKey) ?? NonEmpty(context.SessionId) ?? NonEmpty(context.RemoteAddress),
        Stickiness.Random => null,
        _ => NonEmpty(context.Resolve(_field, _stickinessName)),
    };

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
