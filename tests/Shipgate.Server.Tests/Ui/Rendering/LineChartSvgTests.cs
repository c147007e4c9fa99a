using System.Xml.Linq;
using Shipgate.Server.Ui.Rendering;

namespace Shipgate.Server.Tests.Ui.Rendering;

public sealed class LineChartSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 23, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Render_OneLinePerSeriesScaledToARoundMaximum()
    {
        var svg = LineChartSvg.Render("error-rate", "Error rate", "%",
        [
            new ChartSeries("stable", [new(T0, 0.5), new(T0.AddSeconds(30), 0.4)]),
            new ChartSeries("canary", [new(T0, 0.5), new(T0.AddSeconds(30), 3.2)]),
        ]);

        var root = XDocument.Parse(svg).Root!;
        var lines = root.Elements(Svg + "polyline").ToList();
        Assert.Equal(["chart-line series-0", "chart-line series-1"], lines.Select(l => (string)l.Attribute("class")!));
        // 200 high: the plot runs from y 12 to y 160; 3.2 on an axis to 5 is at 160 - 3.2 / 5 * 148.
        Assert.Equal("52,145.2 548,148.2", (string)lines[0].Attribute("points")!);
        Assert.Equal("52,145.2 548,65.3", (string)lines[1].Attribute("points")!);
        var ticks = root.Elements(Svg + "text").Where(t => (string)t.Attribute("class")! == "chart-tick").Select(t => t.Value).ToList();
        Assert.Equal(["0", "1.25", "2.5", "3.75", "5"], ticks.Where(t => !t.Contains(':', StringComparison.Ordinal)));
        Assert.Equal(["23:00:00", "23:00:07", "23:00:15", "23:00:22", "23:00:30"], ticks.Where(t => t.Contains(':', StringComparison.Ordinal)));
        Assert.Equal("Error rate", root.Element(Svg + "title")!.Value);
        Assert.Equal("stable: 0.4 % at 23:00:30 UTC; canary: 3.2 % at 23:00:30 UTC", root.Element(Svg + "desc")!.Value);
    }

    [Fact]
    public void Render_NoPointsSaysSo() =>
        Assert.Contains(">no data yet</text>", LineChartSvg.Render("c", "Requests", "req/s", [new ChartSeries("stable", [])]), StringComparison.Ordinal);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0.7, 1)]
    [InlineData(3, 5)]
    [InlineData(5, 5)]
    [InlineData(120, 200)]
    [InlineData(1000, 1000)]
    [InlineData(0.013, 0.02)]
    public void Nice_IsOneTwoOrFiveTimesAPowerOfTen(double value, double nice) => Assert.Equal(nice, LineChartSvg.Nice(value), 9);
}
