using Shipgate.Server.Ui.Rendering;

namespace Shipgate.Server.Tests.Ui.Rendering;

public sealed class MarkdownHtmlTests
{
    [Fact]
    public void Render_GitHubFlavouredSummary()
    {
        var html = MarkdownHtml.Render("""
            ## Test results
            | suite | passed |
            | --- | --- |
            | core | 12 |

            - [x] built
            - [ ] deployed

            ~~old~~ **new**, see [the docs](https://example.org/docs), [below](#below) or [the file](docs/a.md).
            """);

        Assert.Contains("<h2", html, StringComparison.Ordinal);
        Assert.Contains("<table>", html, StringComparison.Ordinal);
        Assert.Contains("<td>12</td>", html, StringComparison.Ordinal);
        Assert.Contains("type=\"checkbox\"", html, StringComparison.Ordinal);
        Assert.Contains("<del>old</del>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://example.org/docs\">the docs</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#below\">below</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"docs/a.md\">the file</a>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JaVaScRiPt:alert(1))")]
    [InlineData("[click](jav&#x09;ascript:alert(1))")]
    [InlineData("[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("[click](vbscript:msgbox)")]
    public void Render_NoMarkupOrScriptFromTheWorkflowRuns(string markdown)
    {
        var html = MarkdownHtml.Render(markdown);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"javascript", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"jav", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"data", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"vbscript", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Render_AnUnsafeLinkKeepsItsText()
    {
        Assert.Equal("<p>click <strong>here</strong> now</p>\n", MarkdownHtml.Render("[click **here**](javascript:alert(1)) now"));
    }

    [Fact]
    public void Render_ImagesBecomeLinksToThem()
    {
        var html = MarkdownHtml.Render("![coverage badge](https://img.example.org/badge.svg)");

        Assert.Equal("<p><a href=\"https://img.example.org/badge.svg\">coverage badge</a></p>\n", html);
    }
}
