using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Steps;

/// <summary>
/// Turns a step's raw output lines into workflow commands (<c>::add-mask::</c>, <c>::set-output</c>,
/// <c>::save-state</c>, annotations, groups, <c>::stop-commands::</c>) or log lines.
/// The parsing is a stand-in until the parser of Commands/ is wired in.
/// </summary>
internal sealed class StepCommandProcessor(RunContext run, StepOutputSink sink, StepInvocation invocation)
{
    private string? _stopToken;

    public void ProcessLine(string line)
    {
        var trimmed = line.TrimStart();
        if (!trimmed.StartsWith("::", StringComparison.Ordinal))
        {
            sink.WriteLine(line);
            return;
        }

        var end = trimmed.IndexOf("::", 2, StringComparison.Ordinal);
        if (end < 0)
        {
            sink.WriteLine(line);
            return;
        }

        var head = trimmed[2..end];
        var data = Unescape(trimmed[(end + 2)..]);
        var space = head.IndexOf(' ', StringComparison.Ordinal);
        var name = space < 0 ? head : head[..space];
        var properties = space < 0 ? new Dictionary<string, string>() : ParseProperties(head[(space + 1)..]);
        if (_stopToken is not null)
        {
            if (name == _stopToken)
            {
                _stopToken = null;
            }
            else
            {
                sink.WriteLine(line);
            }

            return;
        }

        switch (name)
        {
            case "add-mask":
                run.Masker.Add(data);
                break;
            case "set-output" when properties.TryGetValue("name", out var output):
                invocation.Outputs[output] = data;
                break;
            case "save-state" when properties.TryGetValue("name", out var state):
                invocation.State[state] = data;
                break;
            case "stop-commands":
                _stopToken = data;
                break;
            case "debug":
                break;
            case "group":
                sink.WriteLine($"##[group]{data}");
                break;
            case "endgroup":
                sink.WriteLine("##[endgroup]");
                break;
            case "error" or "warning" or "notice":
                sink.Annotate(
                    name == "error" ? AnnotationLevel.Error : name == "warning" ? AnnotationLevel.Warning : AnnotationLevel.Notice,
                    data,
                    properties.GetValueOrDefault("title"),
                    properties.GetValueOrDefault("file"),
                    int.TryParse(properties.GetValueOrDefault("line"), out var l) ? l : null,
                    int.TryParse(properties.GetValueOrDefault("col"), out var c) ? c : null);
                break;
            default:
                sink.WriteLine(line);
                break;
        }
    }

    private static Dictionary<string, string> ParseProperties(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(','))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                result[part[..equals].Trim()] = Unescape(part[(equals + 1)..]).Replace("%3A", ":", StringComparison.OrdinalIgnoreCase).Replace("%2C", ",", StringComparison.OrdinalIgnoreCase);
            }
        }

        return result;
    }

    private static string Unescape(string text) => text
        .Replace("%0D", "\r", StringComparison.OrdinalIgnoreCase)
        .Replace("%0A", "\n", StringComparison.OrdinalIgnoreCase)
        .Replace("%25", "%", StringComparison.OrdinalIgnoreCase);
}
