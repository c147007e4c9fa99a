using System.Globalization;

namespace Shipgate.Delivery.Configuration;

/// <summary>A comparison of a provider's number with a threshold, written <c>"&lt; 0.01"</c>, <c>"&gt;= 5"</c>, <c>"== 0"</c>.</summary>
public sealed record MetricCondition(string Operator, double Threshold)
{
    /// <summary>The operators, longest first so that "&lt;=" is not read as "&lt;".</summary>
    internal static readonly string[] Operators = ["<=", ">=", "==", "!=", "<", ">"];

    /// <summary>Reads <c>OP NUMBER</c>; null when it is not one.</summary>
    public static MetricCondition? TryParse(string text)
    {
        var trimmed = text.Trim();
        var op = Operators.FirstOrDefault(o => trimmed.StartsWith(o, StringComparison.Ordinal));
        return op is not null
            && double.TryParse(trimmed.AsSpan(op.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold)
            && double.IsFinite(threshold)
            ? new MetricCondition(op, threshold)
            : null;
    }

    /// <summary>True when <paramref name="value"/> meets the condition; NaN meets none.</summary>
    public bool IsMetBy(double value) => Operator switch
    {
        "<" => value < Threshold,
        "<=" => value <= Threshold,
        ">" => value > Threshold,
        ">=" => value >= Threshold,
        "==" => value == Threshold,
        _ => !double.IsNaN(value) && value != Threshold,
    };

    public override string ToString() => $"{Operator} {Threshold.ToString(CultureInfo.InvariantCulture)}";
}
