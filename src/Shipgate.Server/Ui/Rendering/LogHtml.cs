using System.Text;
using System.Text.Encodings.Web;

namespace Shipgate.Server.Ui.Rendering;

/// <summary>An annotation found in a step's log: <c>##[error]</c>, <c>##[warning]</c> or <c>##[notice]</c>, with its line.</summary>
public sealed record LogAnnotation(string Level, string Message, int Line);

/// <summary>
/// A step's log lines as HTML, the way GitHub shows a raw log: <c>##[group]TITLE</c> … <c>##[endgroup]</c> become a
/// folded <c>&lt;details&gt;</c> (no script needed; a group starting inside another ends it, as groups do not nest),
/// <c>##[error|warning|notice]MESSAGE</c> lines are marked and listed as annotations, every line is numbered with an
/// anchor (each line a block-styled <c>span</c>, so a group's title line can sit in its <c>summary</c>), and ANSI colours are rendered by <see cref="AnsiHtml"/>. Lines are untrusted: all text is encoded.
/// </summary>
public static class LogHtml
{
    private static readonly string[] Levels = ["error", "warning", "notice"];

    /// <summary>Renders <paramref name="lines"/>, numbered from <paramref name="firstNumber"/>, with the annotations among them.</summary>
    public static (string Html, IReadOnlyList<LogAnnotation> Annotations) Render(IEnumerable<string> lines, int firstNumber = 1)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var html = new StringBuilder();
        var annotations = new List<LogAnnotation>();
        var inGroup = false;
        var number = firstNumber - 1;
        foreach (var line in lines)
        {
            number++;
            if (line.StartsWith("##[group]", StringComparison.Ordinal))
            {
                if (inGroup)
                {
                    html.Append("</details>");
                }

                html.Append("<details class=\"log-group\"><summary>");
                Line(html, number, line["##[group]".Length..], null);
                html.Append("</summary>");
                inGroup = true;
                continue;
            }

            if (line.StartsWith("##[endgroup]", StringComparison.Ordinal))
            {
                if (inGroup)
                {
                    html.Append("</details>");
                    inGroup = false;
                }

                continue;
            }

            var level = Levels.FirstOrDefault(l => line.StartsWith($"##[{l}]", StringComparison.Ordinal));
            if (level is not null)
            {
                var message = line[(level.Length + 4)..];
                annotations.Add(new LogAnnotation(level, message, number));
                Line(html, number, message, level);
                continue;
            }

            Line(html, number, line, null);
        }

        if (inGroup)
        {
            html.Append("</details>");
        }

        return (html.ToString(), annotations);
    }

    private static void Line(StringBuilder html, int number, string text, string? level)
    {
        html.Append("<span class=\"log-line").Append(level is null ? "" : $" log-{level}").Append("\" id=\"L").Append(number).Append("\">")
            .Append("<a class=\"log-number\" href=\"#L").Append(number).Append("\" aria-label=\"line ").Append(number).Append("\">").Append(number).Append("</a>");
        if (level is not null)
        {
            html.Append("<span class=\"log-level\">").Append(HtmlEncoder.Default.Encode(level)).Append(": </span>");
        }

        html.Append("<span class=\"log-text\">").Append(AnsiHtml.Render(text)).Append("</span></span>");
    }
}
