using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Shipgate.Server.Ui.Rendering;

/// <summary>
/// A step summary (<c>GITHUB_STEP_SUMMARY</c> markdown) as HTML, safely: GitHub-flavoured markdown (tables, task lists,
/// strikethrough, autolinks) with raw HTML shown as text, never as markup; links kept only to http, https, mailto, the
/// page's own anchors and relative paths (a <c>javascript:</c> or <c>data:</c> link becomes plain text), and images shown
/// as links to them, since the UI loads nothing from elsewhere. The markdown is the workflow's, so it is untrusted.
/// </summary>
public static class MarkdownHtml
{
    /// <summary>The most markdown rendered; GitHub caps a step's summary at 1 MiB.</summary>
    public const int MaxLength = 1024 * 1024;

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseTaskLists()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .DisableHtml()
        .Build();

    public static string Render(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var document = Markdown.Parse(markdown.Length > MaxLength ? markdown[..MaxLength] : markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            link.IsImage = false;
            if (!IsSafe(link.Url))
            {
                Unlink(link);
            }
        }

        foreach (var link in document.Descendants<AutolinkInline>().ToList())
        {
            if (!link.IsEmail && !IsSafe(link.Url))
            {
                link.ReplaceBy(new LiteralInline(link.Url));
            }
        }

        return document.ToHtml(Pipeline);
    }

    /// <summary>http, https, mailto, an anchor or a relative path; nothing with another scheme (compared as a browser would, ignoring case and control characters).</summary>
    internal static bool IsSafe(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return false;
        }

        var cleaned = new string([.. url.Where(c => !char.IsControl(c) && !char.IsWhiteSpace(c))]);
        var colon = cleaned.IndexOf(':', StringComparison.Ordinal);
        var slash = cleaned.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (slash >= 0 && slash < colon))
        {
            return true;
        }

        var scheme = cleaned[..colon].ToLowerInvariant();
        return scheme is "http" or "https" or "mailto";
    }

    /// <summary>Puts the link's text where the link was (its address when it has none).</summary>
    private static void Unlink(LinkInline link)
    {
        var children = link.ToList();
        if (children.Count == 0)
        {
            link.ReplaceBy(new LiteralInline(link.Url ?? ""));
            return;
        }

        Inline after = link;
        foreach (var child in children)
        {
            child.Remove();
            after.InsertAfter(child);
            after = child;
        }

        link.Remove();
    }
}
