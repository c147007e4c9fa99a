using Shipgate.Core.Expressions;
using Shipgate.Engine.Contexts;

namespace Shipgate.Engine.Matrix;

/// <summary>
/// Expands an evaluated <c>strategy.matrix</c> into its combinations with GitHub's rules: the
/// product of the vectors (first key outermost), minus each <c>exclude</c> entry (a partial match:
/// every key the entry names matches), then each <c>include</c> entry in order is merged into every
/// original combination whose original keys it does not contradict (values it added earlier may be
/// overwritten), or, when it fits none, added as a combination of its own.
/// </summary>
internal static class MatrixExpander
{
    /// <summary>GitHub's limit of jobs one matrix may generate.</summary>
    public const int MaxCombinations = 256;

    public static bool TryExpand(ExpressionValue matrix, out IReadOnlyList<ObjectValue> combinations, out string? error)
    {
        combinations = [];
        if (matrix is not ObjectValue definition)
        {
            error = $"the matrix must be a mapping, got '{ValueConversion.ToDisplayString(matrix)}'";
            return false;
        }

        var vectors = new List<KeyValuePair<string, IReadOnlyList<ExpressionValue>>>();
        ArrayValue? include = null;
        ArrayValue? exclude = null;
        foreach (var pair in definition.Pairs)
        {
            if (string.Equals(pair.Key, "include", StringComparison.OrdinalIgnoreCase) || string.Equals(pair.Key, "exclude", StringComparison.OrdinalIgnoreCase))
            {
                if (pair.Value.Kind == ValueKind.Null)
                {
                    continue;
                }

                if (pair.Value is not ArrayValue entries || entries.Items.Any(e => e is not ObjectValue))
                {
                    error = $"matrix {pair.Key.ToLowerInvariant()} must be a list of mappings";
                    return false;
                }

                if (pair.Key.Length == 7 && string.Equals(pair.Key, "include", StringComparison.OrdinalIgnoreCase))
                {
                    include = entries;
                }
                else
                {
                    exclude = entries;
                }

                continue;
            }

            if (pair.Value is not ArrayValue vector)
            {
                error = $"matrix vector '{pair.Key}' must be a list, got '{ValueConversion.ToDisplayString(pair.Value)}'";
                return false;
            }

            if (vector.Items.Count == 0)
            {
                error = $"matrix vector '{pair.Key}' does not contain any values";
                return false;
            }

            vectors.Add(new KeyValuePair<string, IReadOnlyList<ExpressionValue>>(pair.Key, vector.Items));
        }

        var product = Product(vectors);
        if (product.Count > MaxCombinations)
        {
            error = $"the matrix generates {product.Count} jobs, more than GitHub's limit of {MaxCombinations}";
            return false;
        }

        if (exclude is not null)
        {
            product.RemoveAll(combination => exclude.Items.Cast<ObjectValue>().Any(entry => Matches(combination, entry, keys: null)));
        }

        var vectorKeys = new HashSet<string>(vectors.Select(v => v.Key), StringComparer.OrdinalIgnoreCase);
        var added = new List<ObjectValue>();
        foreach (var entry in include?.Items.Cast<ObjectValue>() ?? [])
        {
            var merged = false;
            foreach (var combination in product)
            {
                if (Matches(combination, entry, vectorKeys))
                {
                    foreach (var pair in entry.Pairs)
                    {
                        combination.Set(pair.Key, pair.Value);
                    }

                    merged = true;
                }
            }

            if (!merged)
            {
                var combination = new ObjectValue();
                foreach (var pair in entry.Pairs)
                {
                    combination.Set(pair.Key, pair.Value);
                }

                added.Add(combination);
            }
        }

        product.AddRange(added);
        if (product.Count > MaxCombinations)
        {
            error = $"the matrix generates {product.Count} jobs, more than GitHub's limit of {MaxCombinations}";
            return false;
        }

        if (product.Count == 0)
        {
            error = "the matrix does not generate any job";
            return false;
        }

        combinations = product;
        error = null;
        return true;
    }

    /// <summary>The matrix values of a leg as GitHub appends them to the job name: <c>18, ubuntu</c>.</summary>
    public static string DisplaySuffix(ObjectValue combination) =>
        string.Join(", ", combination.Pairs.SelectMany(p => Leaves(p.Value)));

    private static IEnumerable<string> Leaves(ExpressionValue value) => value switch
    {
        ObjectValue o => o.Pairs.SelectMany(p => Leaves(p.Value)),
        ArrayValue a => a.Items.SelectMany(Leaves),
        _ => [ValueConversion.ToDisplayString(value)],
    };

    private static List<ObjectValue> Product(List<KeyValuePair<string, IReadOnlyList<ExpressionValue>>> vectors)
    {
        var result = new List<ObjectValue>();
        if (vectors.Count == 0)
        {
            return result;
        }

        var indexes = new int[vectors.Count];
        while (true)
        {
            var combination = new ObjectValue();
            for (var i = 0; i < vectors.Count; i++)
            {
                combination.Set(vectors[i].Key, vectors[i].Value[indexes[i]]);
            }

            result.Add(combination);
            if (result.Count > MaxCombinations)
            {
                return result;
            }

            // The last vector varies fastest, as GitHub orders legs.
            var position = vectors.Count - 1;
            while (position >= 0 && ++indexes[position] == vectors[position].Value.Count)
            {
                indexes[position] = 0;
                position--;
            }

            if (position < 0)
            {
                return result;
            }
        }
    }

    /// <summary>
    /// True when every key of <paramref name="entry"/> (only those in <paramref name="keys"/>, when given)
    /// has the same value in <paramref name="combination"/>.
    /// </summary>
    private static bool Matches(ObjectValue combination, ObjectValue entry, HashSet<string>? keys)
    {
        foreach (var pair in entry.Pairs)
        {
            if (keys is not null && !keys.Contains(pair.Key))
            {
                continue;
            }

            if (!combination.TryGetValue(pair.Key, out var value) || !ValueConversion.DeepEquals(value, pair.Value))
            {
                return false;
            }
        }

        return true;
    }
}
