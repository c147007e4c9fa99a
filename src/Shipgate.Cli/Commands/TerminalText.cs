using System.Text;

namespace Shipgate.Cli.Commands;

/// <summary>
/// Text from a run (what its steps printed, its step names) made safe for a terminal: a step must not clear the
/// reader's screen, retitle the window, write the clipboard (OSC 52) or move the cursor over earlier lines.
/// Removes escape sequences (CSI, OSC, DCS, SOS, PM, APC and two-character ones), C1 controls and every C0 control
/// but tab; keeps SGR colour sequences (<c>ESC[...m</c>) only when asked (stdout is a terminal).
/// </summary>
internal static class TerminalText
{
    private const char Escape = '\u001b';

    public static string Strip(string text, bool keepColours)
    {
        if (!text.Any(c => char.IsControl(c) && c != '\t'))
        {
            return text;
        }

        var safe = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != Escape)
            {
                if (!char.IsControl(c) || c == '\t')
                {
                    safe.Append(c);
                }

                continue;
            }

            if (i + 1 >= text.Length)
            {
                break;
            }

            var start = i;
            switch (text[++i])
            {
                case '[':
                    // CSI: parameter bytes 0x30-0x3F, intermediate bytes 0x20-0x2F, one final byte 0x40-0x7E.
                    var parameters = ++i;
                    while (i < text.Length && text[i] is >= '\u0030' and <= '\u003f')
                    {
                        i++;
                    }

                    var sgr = i < text.Length && text[i] == 'm' && text[parameters..i].All(p => char.IsAsciiDigit(p) || p == ';');
                    while (i < text.Length && text[i] is >= '\u0020' and <= '\u002f')
                    {
                        i++;
                    }

                    if (sgr && keepColours)
                    {
                        safe.Append(text, start, i - start + 1);
                    }

                    break;
                case ']' or 'P' or 'X' or '^' or '_':
                    // A string sequence (OSC, DCS, SOS, PM, APC): up to BEL or ST (ESC \), or the end of the line.
                    while (++i < text.Length && text[i] != '\u0007' && !(text[i] == Escape && i + 1 < text.Length && text[i + 1] == '\\'))
                    {
                    }

                    if (i < text.Length && text[i] == Escape)
                    {
                        i++;
                    }

                    break;
                default:
                    // A two-character sequence (ESC c resets the terminal, ESC 7 saves the cursor...): both go.
                    break;
            }
        }

        return safe.ToString();
    }
}
