using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Shipgate.Server.Ui.Rendering;

/// <summary>One line of a chart: its name (in the legend) and its points in time order.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points);

/// <summary>A value at a time.</summary>
public readonly record struct ChartPoint(DateTimeOffset At, double Value);

/// <summary>
/// A time-series line chart drawn as SVG by Shipgate itself (no charting script, nothing from elsewhere), for the rollout
/// page's traffic weight, request rate, error rate and p99 over time: a y axis from 0 to a round maximum with four ticks,
/// a time axis with four ticks, one polyline per series (its class <c>series-N</c> gives its colour and dash), and a
/// legend. The title and a sentence with each series' latest value are the chart's accessible name and description.
/// </summary>
public static class LineChartSvg
{
    private const int Left = 52;
    private const int Right = 12;
    private const int Top = 12;
    private const int Bottom = 40;

    /// <summary>The chart; <paramref name="id"/> is its id on its page, which its title and description are named by.</summary>
    public static string Render(string id, string title, string unit, IReadOnlyList<ChartSeries> series, int width = 560, int height = 200)
    {
        ArgumentNullException.ThrowIfNull(series);
        var points = series.SelectMany(s => s.Points).ToList();
        id = Encode(id);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"line-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{Encode(title)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<desc id=\"{id}-desc\">{Encode(Describe(unit, series))}</desc>");
        var (plotWidth, plotHeight) = (width - Left - Right, height - Top - Bottom);
        svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"chart-plot\" x=\"{Left}\" y=\"{Top}\" width=\"{plotWidth}\" height=\"{plotHeight}\"/>");
        if (points.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-empty\" x=\"{Left + (plotWidth / 2)}\" y=\"{Top + (plotHeight / 2)}\" text-anchor=\"middle\">no data yet</text>");
            return svg.Append("</svg>").ToString();
        }

        var maximum = Nice(points.Max(p => p.Value));
        var (start, end) = (points.Min(p => p.At), points.Max(p => p.At));
        var span = Math.Max(1, (end - start).TotalSeconds);
        double X(DateTimeOffset at) => Left + ((at - start).TotalSeconds / span * plotWidth);
        double Y(double value) => Top + plotHeight - (Math.Clamp(value, 0, maximum) / maximum * plotHeight);

        for (var tick = 0; tick <= 4; tick++)
        {
            var value = maximum * tick / 4;
            var y = Y(value);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"chart-grid\" x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Left + plotWidth}\" y2=\"{y:0.#}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-tick\" x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{Encode(Number(value))}</text>");
            var at = start.AddSeconds(span * tick / 4);
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-tick\" x=\"{X(at):0.#}\" y=\"{Top + plotHeight + 16}\" text-anchor=\"middle\">{at.UtcDateTime:HH:mm:ss}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-unit\" x=\"{Left}\" y=\"{height - 6}\">{Encode(unit)} (UTC)</text>");
        for (var i = 0; i < series.Count; i++)
        {
            var line = string.Join(' ', series[i].Points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.At):0.#},{Y(p.Value):0.#}")));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"chart-line series-{i}\" points=\"{line}\"/>");
            var legendX = Left + 120 + (i * 150);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"chart-line series-{i}\" x1=\"{legendX}\" y1=\"{height - 10}\" x2=\"{legendX + 18}\" y2=\"{height - 10}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-legend\" x=\"{legendX + 22}\" y=\"{height - 6}\">{Encode(series[i].Name)}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>The smallest 1, 2 or 5 times a power of ten at or above <paramref name="value"/> (1 for nothing above 0).</summary>
    internal static double Nice(double value)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            return 1;
        }

        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        return new[] { 1, 2, 5, 10 }.Select(m => m * power).First(m => m >= value * (1 - 1e-12));
    }

    private static string Describe(string unit, IReadOnlyList<ChartSeries> series) =>
        string.Join("; ", series.Select(s => s.Points.Count == 0
            ? $"{s.Name}: no data"
            : $"{s.Name}: {Number(s.Points[^1].Value)} {unit} at {s.Points[^1].At.UtcDateTime:HH:mm:ss} UTC"));

    private static string Number(double value) => value.ToString(value >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture);

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}
