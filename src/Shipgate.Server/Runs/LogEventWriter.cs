using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Shipgate.Server.Runs;

/// <summary>
/// Writes a log stream's <c>output</c> events (<c>id: SEQUENCE:OFFSET</c>, the step and the line as JSON)
/// straight from a log line's bytes into the response, reusing one JSON writer: a log of millions of
/// lines is streamed without a string or a buffer per line.
/// </summary>
internal sealed class LogEventWriter(PipeWriter output)
{
    // The engine writes "2025-01-31T12:00:00.0000000Z text": the time is a field of its own.
    private const int TimeLength = 28;

    private readonly ArrayBufferWriter<byte> _json = new(1024);
    private readonly Utf8JsonWriter _writer = new(Stream.Null);

    public void WriteOutput(long sequence, long offset, string jobKey, int step, ReadOnlySpan<byte> line)
    {
        var hasTime = line.IndexOf((byte)' ') == TimeLength && line[TimeLength - 1] == (byte)'Z';
        _json.ResetWrittenCount();
        _writer.Reset(_json);
        _writer.WriteStartObject();
        _writer.WriteString("jobKey"u8, jobKey);
        _writer.WriteNumber("step"u8, step);
        var text = line;
        if (hasTime)
        {
            _writer.WriteString("at"u8, line[..TimeLength]);
            text = line[(TimeLength + 1)..];
        }

        if (Utf8.IsValid(text))
        {
            _writer.WriteString("line"u8, text);
        }
        else
        {
            // Bytes that are not UTF-8 become U+FFFD, as when the line is read as text.
            _writer.WriteString("line"u8, Encoding.UTF8.GetString(text));
        }

        _writer.WriteEndObject();
        _writer.Flush();

        output.Write("id: "u8);
        WriteNumber(sequence);
        output.Write(":"u8);
        WriteNumber(offset);
        output.Write("\nevent: output\ndata: "u8);
        output.Write(_json.WrittenSpan);
        output.Write("\n\n"u8);
    }

    private void WriteNumber(long value)
    {
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        output.Advance(written);
    }
}
