using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Shipgate.Server.Ui.Rendering;

/// <summary>A job of a run's graph: its id in the workflow, its name, the jobs it needs, and its legs (one unless it has a matrix).</summary>
public sealed record GraphJob(string Id, string Name, IReadOnlyList<string> Needs, IReadOnlyList<GraphLeg> Legs);

/// <summary>One leg of a job: its key (the anchor its box links to), name, status (queued, in_progress, waiting, success, failure, cancelled, skipped) and duration.</summary>
public sealed record GraphLeg(string Key, string Name, string Status, TimeSpan? Duration);

/// <summary>
/// A run's job graph drawn as SVG, as the run page shows it: jobs in columns by their depth in <c>needs</c> (a job one
/// column right of the deepest job it needs), in the workflow's order within a column; a matrix job one box with a row
/// per leg; arrows from each needed job to the job needing it. Status is a class (colour, from the page's CSS) and a
/// word, never the colour alone; each leg links to its job on the page and has a tooltip. Names are the workflow's, so
/// they are encoded.
/// </summary>
public static class JobGraphSvg
{
    private const int BoxWidth = 190;
    private const int ColumnGap = 60;
    private const int HeaderHeight = 28;
    private const int LegHeight = 24;
    private const int RowGap = 18;
    private const int Margin = 10;
    private const int MaxName = 24;

    public static string Render(IReadOnlyList<GraphJob> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var byId = jobs.ToDictionary(j => j.Id, StringComparer.Ordinal);
        var depths = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            Depth(job.Id, byId, depths, []);
        }

        // Place each column's jobs top to bottom in the workflow's order.
        var boxes = new Dictionary<string, (int X, int Y, int Height)>(StringComparer.Ordinal);
        var columnBottoms = new Dictionary<int, int>();
        foreach (var job in jobs)
        {
            var column = depths[job.Id];
            var y = columnBottoms.GetValueOrDefault(column, Margin);
            var boxHeight = HeaderHeight + (job.Legs.Count > 1 ? job.Legs.Count * LegHeight : 0);
            boxes[job.Id] = (Margin + (column * (BoxWidth + ColumnGap)), y, boxHeight);
            columnBottoms[column] = y + boxHeight + RowGap;
        }

        var width = jobs.Count == 0 ? 2 * Margin : boxes.Values.Max(b => b.X) + BoxWidth + Margin;
        var height = jobs.Count == 0 ? 2 * Margin : columnBottoms.Values.Max() - RowGap + Margin;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"job-graph\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"job-graph-title\">");
        svg.Append("<title id=\"job-graph-title\">").Append(Encode(Summary(jobs, depths))).Append("</title>");
        svg.Append("<defs><marker id=\"job-graph-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" class=\"job-graph-arrowhead\"/></marker></defs>");
        foreach (var job in jobs)
        {
            var to = boxes[job.Id];
            foreach (var need in job.Needs.Where(boxes.ContainsKey))
            {
                var from = boxes[need];
                var (x1, y1, x2, y2) = (from.X + BoxWidth, from.Y + (HeaderHeight / 2), to.X, to.Y + (HeaderHeight / 2));
                var bend = (x2 - x1) / 2;
                svg.Append(CultureInfo.InvariantCulture, $"<path class=\"job-graph-edge\" d=\"M {x1} {y1} C {x1 + bend} {y1}, {x2 - bend} {y2}, {x2} {y2}\" marker-end=\"url(#job-graph-arrow)\"/>");
            }
        }

        foreach (var job in jobs)
        {
            var (x, y, boxHeight) = boxes[job.Id];
            var status = Overall(job.Legs);
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"job-graph-job status-{Encode(status)}\">");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y}\" width=\"{BoxWidth}\" height=\"{boxHeight}\" rx=\"6\"/>");
            if (job.Legs.Count == 1)
            {
                Leg(svg, job.Legs[0], job.Name, x, y, HeaderHeight);
            }
            else
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"job-graph-name\" x=\"{x + 10}\" y=\"{y + 18}\">{Encode(Cut(job.Name))} ({job.Legs.Count})</text>");
                for (var i = 0; i < job.Legs.Count; i++)
                {
                    Leg(svg, job.Legs[i], job.Legs[i].Name, x, y + HeaderHeight + (i * LegHeight), LegHeight);
                }
            }

            svg.Append("</g>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static void Leg(StringBuilder svg, GraphLeg leg, string name, int x, int y, int rowHeight)
    {
        var duration = leg.Duration is { } d ? Duration(d) : "";
        var label = $"{name}: {Word(leg.Status)}{(duration.Length > 0 ? ", " + duration : "")}";
        svg.Append(CultureInfo.InvariantCulture, $"<a href=\"#job-{Encode(leg.Key)}\" class=\"job-graph-leg status-{Encode(leg.Status)}\" aria-label=\"{Encode(label)}\">");
        svg.Append("<title>").Append(Encode(label)).Append("</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"job-graph-hit\" x=\"{x}\" y=\"{y}\" width=\"{BoxWidth}\" height=\"{rowHeight}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"job-graph-name\" x=\"{x + 10}\" y=\"{y + (rowHeight / 2) + 5}\">{Encode(Cut(name))}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"job-graph-status\" x=\"{x + BoxWidth - 8}\" y=\"{y + (rowHeight / 2) + 5}\" text-anchor=\"end\">{Encode(Word(leg.Status))}{(duration.Length > 0 ? " " + Encode(duration) : "")}</text>");
        svg.Append("</a>");
    }

    /// <summary>The column of a job: 0 without needs, else one more than its deepest need (a need that is not in the run, or a cycle, counts as none).</summary>
    private static int Depth(string id, Dictionary<string, GraphJob> jobs, Dictionary<string, int> depths, HashSet<string> visiting)
    {
        if (depths.TryGetValue(id, out var known))
        {
            return known;
        }

        if (!jobs.TryGetValue(id, out var job) || !visiting.Add(id))
        {
            return -1;
        }

        var depth = job.Needs.Count == 0 ? 0 : job.Needs.Max(n => Depth(n, jobs, depths, visiting)) + 1;
        visiting.Remove(id);
        return depths[id] = Math.Max(0, depth);
    }

    /// <summary>A matrix job's status: failure if a leg failed, else running if one runs, waiting, queued, cancelled, skipped, else success.</summary>
    private static string Overall(IReadOnlyList<GraphLeg> legs)
    {
        string[] order = ["failure", "in_progress", "waiting", "queued", "cancelled", "success", "skipped"];
        return legs.Count == 0 ? "queued" : order.FirstOrDefault(s => legs.Any(l => l.Status == s)) ?? legs[0].Status;
    }

    private static string Summary(IReadOnlyList<GraphJob> jobs, Dictionary<string, int> depths) =>
        "Job graph: " + string.Join("; ", jobs.GroupBy(j => depths[j.Id]).OrderBy(g => g.Key)
            .Select(g => string.Join(", ", g.Select(j => $"{j.Name} {Word(Overall(j.Legs))}"))));

    private static string Word(string status) => status switch
    {
        "in_progress" => "running",
        _ => status,
    };

    internal static string Duration(TimeSpan duration) => duration.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours}h {duration.Minutes:00}m")
        : duration.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes}m {duration.Seconds:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, duration.TotalSeconds):0.#}s");

    private static string Cut(string name) => name.Length <= MaxName ? name : name[..(MaxName - 1)] + "…";

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}
