using Shipgate.Server.Ui.Rendering;

namespace Shipgate.Server.Tests.Ui.Rendering;

public sealed class AnsiHtmlTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("\u001b[31mred\u001b[0m plain", "<span class=\"ansi-fg-1\">red</span> plain")]
    [InlineData("\u001b[1;32mok\u001b[22m still green\u001b[39m", "<span class=\"ansi-bold ansi-fg-2\">ok</span><span class=\"ansi-fg-2\"> still green</span>")]
    [InlineData("\u001b[97;41m FAIL \u001b[m", "<span class=\"ansi-fg-15 ansi-bg-1\"> FAIL </span>")]
    [InlineData("\u001b[38;5;196mcolour 196\u001b[0m", "<span class=\"ansi-fg-1\">colour 196</span>")]
    [InlineData("\u001b[48;2;0;0;0mtrue black\u001b[0m", "<span class=\"ansi-bg-0\">true black</span>")]
    [InlineData("\u001b[2K\u001b[1Gprogress 50%", "progress 50%")]
    [InlineData("\u001b]0;window title\u0007after", "after")]
    [InlineData("\u001b]8;;https://example.org\u001b\\link\u001b]8;;\u001b\\", "link")]
    [InlineData("cut off \u001b[3", "cut off ")]
    [InlineData("\u001b[31m<img src=x onerror=alert(1)>", "<span class=\"ansi-fg-1\">&lt;img src=x onerror=alert(1)&gt;</span>")]
    public void Render_SgrBecomesClassesAndEverythingElseIsEncodedOrDropped(string line, string html) =>
        Assert.Equal(html, AnsiHtml.Render(line));
}
