using Shipgate.Core.Diagnostics;

namespace Shipgate.Core.Yaml;

/// <summary>
/// The source text of one scalar, kept so that an offset in the scalar's value (say, where an
/// expression starts in a <c>run:</c> block) maps back to a line and column of the file.
/// </summary>
/// <remarks>
/// The mapping walks the source and the value side by side, skipping the source characters that
/// are not in the value (quotes, escapes, indentation, folded line breaks). It is exact for plain,
/// single-quoted and literal (<c>|</c>) scalars, and for the others as long as the value does not
/// hold characters written as escapes; it falls back to the scalar's start otherwise.
/// </remarks>
internal sealed class ScalarSpan(string text, int start, int end, SourceLocation location, bool isBlock)
{
    public SourceLocation Locate(string value, int offset)
    {
        var i = start;
        var line = location.Line;
        var column = location.Column;
        if (isBlock)
        {
            // The header line (| or > with indicators and maybe a comment) is not part of the value.
            while (i < end && text[i] != '\n')
            {
                i++;
            }

            if (i < end)
            {
                i++;
                line++;
                column = 1;
            }
        }

        for (var v = 0; v <= offset && v < value.Length; v++)
        {
            while (i < end && text[i] != value[v])
            {
                Advance(ref i, ref line, ref column);
            }

            if (i >= end)
            {
                return location;
            }

            if (v == offset)
            {
                break;
            }

            Advance(ref i, ref line, ref column);
        }

        return location with { Line = line, Column = column };
    }

    private void Advance(ref int i, ref int line, ref int column)
    {
        if (text[i] == '\n')
        {
            line++;
            column = 1;
        }
        else
        {
            column++;
        }

        i++;
    }
}
