using System.Xml.Linq;
using Shipgate.Server.Ui.Rendering;

namespace Shipgate.Server.Tests.Ui.Rendering;

public sealed class JobGraphSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Render_JobsInColumnsByNeedsMatrixLegsInOneBoxArrowsFromEachNeed()
    {
        var svg = JobGraphSvg.Render(
        [
            new GraphJob("build", "build", [], [new GraphLeg("build", "build", "success", TimeSpan.FromSeconds(65))]),
            new GraphJob("lint", "lint", [], [new GraphLeg("lint", "lint", "success", TimeSpan.FromSeconds(2.5))]),
            new GraphJob("test", "test", ["build"],
                [new GraphLeg("test[0]", "test (sh, 1)", "success", TimeSpan.FromSeconds(3)), new GraphLeg("test[1]", "test (sh, 2)", "failure", TimeSpan.FromHours(1.02))]),
            new GraphJob("deploy", "deploy", ["test", "lint"], [new GraphLeg("deploy", "deploy", "skipped", null)]),
        ]);

        var root = XDocument.Parse(svg).Root!;
        var jobs = root.Elements(Svg + "g").ToList();
        Assert.Equal(["job-graph-job status-success", "job-graph-job status-success", "job-graph-job status-failure", "job-graph-job status-skipped"],
            jobs.Select(g => (string)g.Attribute("class")!));
        // Columns: build and lint at 0, test at 1, deploy at 2 (one past its deepest need).
        Assert.Equal(["10", "10", "260", "510"], jobs.Select(g => (string)g.Element(Svg + "rect")!.Attribute("x")!));
        Assert.Equal(3, root.Elements(Svg + "path").Count());
        Assert.Equal("Job graph: build success, lint success; test failure; deploy skipped", root.Element(Svg + "title")!.Value);
        var legs = root.Descendants(Svg + "a").Select(a => ((string)a.Attribute("href")!, (string)a.Attribute("aria-label")!)).ToList();
        Assert.Contains(("#job-test[0]", "test (sh, 1): success, 3s"), legs);
        Assert.Contains(("#job-test[1]", "test (sh, 2): failure, 1h 01m"), legs);
        Assert.Contains(("#job-build", "build: success, 1m 05s"), legs);
        Assert.Contains(("#job-deploy", "deploy: skipped"), legs);
    }

    [Fact]
    public void Render_HostileNamesStayText()
    {
        var svg = JobGraphSvg.Render([new GraphJob("x", "<script>alert(1)</script>", [], [new GraphLeg("x\"><script>", "<img src=x>", "in_progress", null)])]);

        var root = XDocument.Parse(svg).Root!;
        Assert.Empty(root.Descendants(Svg + "script"));
        Assert.Empty(root.Descendants(Svg + "img"));
        // A job of one leg is named by the job's name.
        Assert.Equal("<script>alert(1)</script>: running", root.Descendants(Svg + "a").Single().Attribute("aria-label")!.Value);
    }

    [Fact]
    public void Render_NoJobsIsAnEmptyDrawing() =>
        Assert.Equal("Job graph: ", XDocument.Parse(JobGraphSvg.Render([])).Root!.Element(Svg + "title")!.Value);
}
