namespace Shipgate.Flags.Compiled;

/// <summary>A rule ready to evaluate: individual targets, constraints, then a fixed variant or a rollout.</summary>
internal sealed class CompiledRule(StringSet? targets, CompiledConstraint[] constraints, int variant, CompiledRollout? rollout)
{
    /// <summary>Whether the rule matches; if so, the variant index and the reason.</summary>
    public bool TryMatch(FlagContext context, TimeProvider time, Random random, out int variantIndex, out FlagReason reason)
    {
        variantIndex = -1;
        reason = FlagReason.Default;
        if (targets is not null && (context.TargetingKey is not { } key || !targets.Contains(key)))
        {
            return false;
        }

        foreach (var constraint in constraints)
        {
            if (!constraint.Matches(context, time))
            {
                return false;
            }
        }

        if (rollout is null)
        {
            variantIndex = variant;
            reason = FlagReason.TargetingMatch;
            return true;
        }

        reason = FlagReason.Split;
        return rollout.TrySelect(context, random, out variantIndex);
    }
}
