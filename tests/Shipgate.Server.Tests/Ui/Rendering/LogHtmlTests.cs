using Shipgate.Server.Ui.Rendering;

namespace Shipgate.Server.Tests.Ui.Rendering;

public sealed class LogHtmlTests
{
    [Fact]
    public void Render_GroupsFoldNumbersCountEveryLineAndAnnotationsAreListed()
    {
        var (html, annotations) = LogHtml.Render(["start", "##[group]Build", "compiling", "##[error]boom at a.cs", "##[endgroup]", "##[warning]slow", "end"]);

        Assert.Equal([new LogAnnotation("error", "boom at a.cs", 4), new LogAnnotation("warning", "slow", 6)], annotations);
        Assert.StartsWith("<span class=\"log-line\" id=\"L1\">", html, StringComparison.Ordinal);
        Assert.Contains("<details class=\"log-group\"><summary><span class=\"log-line\" id=\"L2\">", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"log-text\">Build</span></span></summary>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"log-line log-error\" id=\"L4\">", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"log-level\">error: </span><span class=\"log-text\">boom at a.cs</span>", html, StringComparison.Ordinal);
        Assert.Contains("</details><span class=\"log-line log-warning\" id=\"L6\">", html, StringComparison.Ordinal);
        Assert.Contains("id=\"L7\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("##[", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_AGroupInsideAGroupEndsItAndAnOpenGroupIsClosed()
    {
        var (html, _) = LogHtml.Render(["##[group]one", "a", "##[group]two", "b"], firstNumber: 10);

        Assert.Equal(2, html.Split("<details", StringSplitOptions.None).Length - 1);
        Assert.Equal(2, html.Split("</details>", StringSplitOptions.None).Length - 1);
        Assert.Contains("</details><details class=\"log-group\"><summary><span class=\"log-line\" id=\"L12\">", html, StringComparison.Ordinal);
        Assert.EndsWith("</details>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HostileLinesAreText()
    {
        var (html, annotations) = LogHtml.Render(["<img src=x onerror=alert(1)>", "##[group]<script>alert(2)</script>", "##[error]\"><svg onload=alert(3)>"]);

        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
        Assert.Equal("\"><svg onload=alert(3)>", Assert.Single(annotations).Message);
    }
}
