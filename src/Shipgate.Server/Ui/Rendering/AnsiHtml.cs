using System.Text;
using System.Text.Encodings.Web;

namespace Shipgate.Server.Ui.Rendering;

/// <summary>
/// A log line with ANSI escape sequences as HTML: the text encoded, its SGR colours and styles as
/// <c>&lt;span class="…"&gt;</c> (classes, never inline styles, so the UI's Content-Security-Policy holds), and every
/// other escape sequence (cursor moves, erases, OSC titles and links) dropped. 256-colour and true-colour codes are
/// shown as the nearest of the 16 basic colours. The output never contains markup from the line itself.
/// </summary>
public static class AnsiHtml
{
    private const char Escape = '\u001b';

    public static string Render(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!line.Contains(Escape, StringComparison.Ordinal))
        {
            return HtmlEncoder.Default.Encode(line);
        }

        var html = new StringBuilder(line.Length + 32);
        var style = new Style();
        var open = false;
        var text = new StringBuilder();
        var i = 0;
        while (i < line.Length)
        {
            if (line[i] != Escape)
            {
                text.Append(line[i++]);
                continue;
            }

            var (next, parameters) = ReadSequence(line, i);
            i = next;
            if (parameters is null)
            {
                continue;
            }

            Flush();
            style = style.Apply(parameters);
        }

        Flush();
        if (open)
        {
            html.Append("</span>");
        }

        return html.ToString();

        void Flush()
        {
            if (text.Length == 0)
            {
                return;
            }

            var classes = style.Classes();
            if (open && classes != style.Opened)
            {
                html.Append("</span>");
                open = false;
            }

            if (!open && classes.Length > 0)
            {
                html.Append("<span class=\"").Append(classes).Append("\">");
                open = true;
                style = style with { Opened = classes };
            }

            html.Append(HtmlEncoder.Default.Encode(text.ToString()));
            text.Clear();
        }
    }

    /// <summary>The index after the escape sequence at <paramref name="start"/>, and its SGR parameters when it is one (else null: dropped).</summary>
    private static (int Next, List<int>? Sgr) ReadSequence(string line, int start)
    {
        var i = start + 1;
        if (i >= line.Length)
        {
            return (i, null);
        }

        switch (line[i])
        {
            case '[':
                // CSI: parameters and intermediates, then one final byte in @..~.
                var end = i + 1;
                while (end < line.Length && line[end] is < '@' or > '~')
                {
                    end++;
                }

                if (end >= line.Length)
                {
                    return (line.Length, null);
                }

                if (line[end] != 'm')
                {
                    return (end + 1, null);
                }

                var sgr = new List<int>();
                foreach (var part in line.AsSpan(i + 1, end - i - 1).ToString().Split(';', ':'))
                {
                    sgr.Add(int.TryParse(part, out var value) && value is >= 0 and < 1000 ? value : 0);
                }

                return (end + 1, sgr);
            case ']':
                // OSC (titles, hyperlinks): to BEL or ST.
                var stop = i + 1;
                while (stop < line.Length && line[stop] != '\u0007' && !(line[stop] == Escape && stop + 1 < line.Length && line[stop + 1] == '\\'))
                {
                    stop++;
                }

                return (Math.Min(line.Length, stop + (stop < line.Length && line[stop] == Escape ? 2 : 1)), null);
            default:
                return (i + 1, null);
        }
    }

    private sealed record Style
    {
        public bool Bold { get; init; }

        public bool Dim { get; init; }

        public bool Italic { get; init; }

        public bool Underline { get; init; }

        public int? Foreground { get; init; }

        public int? Background { get; init; }

        /// <summary>The classes of the span now open ("" when none).</summary>
        public string Opened { get; init; } = "";

        public Style Apply(List<int> codes)
        {
            var style = this;
            for (var k = 0; k < codes.Count; k++)
            {
                var code = codes[k];
                style = code switch
                {
                    0 => new Style { Opened = style.Opened },
                    1 => style with { Bold = true },
                    2 => style with { Dim = true },
                    3 => style with { Italic = true },
                    4 => style with { Underline = true },
                    22 => style with { Bold = false, Dim = false },
                    23 => style with { Italic = false },
                    24 => style with { Underline = false },
                    >= 30 and <= 37 => style with { Foreground = code - 30 },
                    >= 90 and <= 97 => style with { Foreground = code - 90 + 8 },
                    39 => style with { Foreground = null },
                    >= 40 and <= 47 => style with { Background = code - 40 },
                    >= 100 and <= 107 => style with { Background = code - 100 + 8 },
                    49 => style with { Background = null },
                    38 or 48 => Extended(style, codes, ref k, code == 38),
                    _ => style,
                };
            }

            return style;
        }

        public string Classes()
        {
            var classes = new List<string>(4);
            if (Bold)
            {
                classes.Add("ansi-bold");
            }

            if (Dim)
            {
                classes.Add("ansi-dim");
            }

            if (Italic)
            {
                classes.Add("ansi-italic");
            }

            if (Underline)
            {
                classes.Add("ansi-underline");
            }

            if (Foreground is { } fg)
            {
                classes.Add($"ansi-fg-{fg}");
            }

            if (Background is { } bg)
            {
                classes.Add($"ansi-bg-{bg}");
            }

            return string.Join(' ', classes);
        }

        /// <summary><c>38;5;N</c> or <c>38;2;R;G;B</c> (48 for the background), as the nearest basic colour.</summary>
        private static Style Extended(Style style, List<int> codes, ref int k, bool foreground)
        {
            int? colour = null;
            if (k + 2 < codes.Count && codes[k + 1] == 5)
            {
                colour = Nearest(Palette256(codes[k + 2]));
                k += 2;
            }
            else if (k + 4 < codes.Count && codes[k + 1] == 2)
            {
                colour = Nearest((codes[k + 2], codes[k + 3], codes[k + 4]));
                k += 4;
            }

            return colour is null ? style : foreground ? style with { Foreground = colour } : style with { Background = colour };
        }

        private static readonly (int R, int G, int B)[] Basic =
        [
            (0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16), (36, 114, 200), (188, 63, 188), (17, 168, 205), (229, 229, 229),
            (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67), (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255),
        ];

        private static (int R, int G, int B) Palette256(int n)
        {
            if (n < 16)
            {
                return Basic[Math.Max(0, n)];
            }

            if (n < 232)
            {
                n -= 16;
                static int Level(int v) => v == 0 ? 0 : 55 + (v * 40);
                return (Level(n / 36), Level(n / 6 % 6), Level(n % 6));
            }

            var grey = 8 + ((Math.Min(n, 255) - 232) * 10);
            return (grey, grey, grey);
        }

        private static int Nearest((int R, int G, int B) colour)
        {
            var best = 0;
            var bestDistance = int.MaxValue;
            for (var c = 0; c < Basic.Length; c++)
            {
                var (r, g, b) = Basic[c];
                var distance = ((r - colour.R) * (r - colour.R)) + ((g - colour.G) * (g - colour.G)) + ((b - colour.B) * (b - colour.B));
                if (distance < bestDistance)
                {
                    (best, bestDistance) = (c, distance);
                }
            }

            return best;
        }
    }
}
