using System.Globalization;
using Shipgate.Engine.Masking;
using Shipgate.Engine.Processes;

namespace Shipgate.Engine.Commands;

/// <summary>
/// Reads a step's output as GitHub's runner does: each whole line is either a workflow command, processed and
/// reported to the <see cref="IWorkflowCommandSink"/>, or a line to show, masked and written to the sink.
/// Stateful for one step (stop-commands, echo, lines cut at the length cap); not thread-safe, which suits
/// <see cref="ProcessRunner"/>'s callback, never called concurrently.
/// </summary>
/// <remarks>
/// Commands: <c>add-mask</c>, <c>error</c>/<c>warning</c>/<c>notice</c> (file, line, col, endLine, endColumn,
/// title), <c>group</c>/<c>endgroup</c>, <c>debug</c>, <c>stop-commands</c> (until <c>::TOKEN::</c>),
/// <c>save-state</c> and <c>set-output</c> (deprecated: honoured with GitHub's warning), <c>echo</c>,
/// <c>set-env</c> and <c>add-path</c> (disabled unless <see cref="WorkflowCommandOptions.AllowUnsecureCommands"/>:
/// the step fails with GitHub's message), and <c>add-matcher</c>/<c>remove-matcher</c> (accepted, problem
/// matchers are not supported). A command that cannot be processed reports GitHub's errors and fails the step.
/// </remarks>
public sealed class WorkflowCommandProcessor
{
    private const string StopCommand = "stop-commands";

    private const string DisabledMessage =
        "The `{0}` command is disabled. Please upgrade to using Environment Files or opt into unsecure command execution by setting the `ACTIONS_ALLOW_UNSECURE_COMMANDS` environment variable to `true`. For more information see: https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/";

    private const string DeprecatedMessage =
        "The `{0}` command is deprecated and will be disabled soon. Please upgrade to using Environment Files. For more information see: https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/";

    private static readonly HashSet<string> Commands = new(StringComparer.OrdinalIgnoreCase)
    {
        StopCommand, "set-env", "set-output", "save-state", "add-mask", "add-path", "add-matcher", "remove-matcher",
        "debug", "error", "warning", "notice", "group", "endgroup", "echo",
    };

    // Commands whose line is not echoed as it is (their data may be secret, or is shown another way).
    private static readonly HashSet<string> OmitEcho = new(StringComparer.OrdinalIgnoreCase)
    {
        "add-mask", "debug", "error", "warning", "notice",
    };

    private readonly SecretMasker _masker;
    private readonly IWorkflowCommandSink _sink;
    private readonly WorkflowCommandOptions _options;
    private readonly Func<string, bool> _isRegistered;
    private readonly MaskContinuation[] _continuations = [new(), new()];
    private readonly bool[] _continuing = new bool[2];
    private bool _echo;
    private string? _stopToken;
    private bool _stopped;

    public WorkflowCommandProcessor(SecretMasker masker, IWorkflowCommandSink sink, WorkflowCommandOptions? options = null)
    {
        _masker = masker;
        _sink = sink;
        _options = options ?? new WorkflowCommandOptions();
        _echo = _options.EchoCommands;
        _isRegistered = name => Commands.Contains(name) || (_stopped && string.Equals(name, _stopToken, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The callback for <see cref="ProcessRunner.RunAsync"/>. Pieces of a line cut at the length cap are
    /// masked across the cut and shown, never taken as commands.</summary>
    public void OnOutput(OutputLine line)
    {
        var stream = (int)line.Stream;
        if (line.IsPartial || _continuing[stream])
        {
            _continuing[stream] = line.IsPartial;
            _sink.WriteLine(_masker.Mask(line.Text, _continuations[stream], line.IsPartial));
            return;
        }

        ProcessLine(line.Text);
    }

    /// <summary>Processes one whole line of output.</summary>
    public void ProcessLine(string line)
    {
        if (!WorkflowCommandParser.TryParse(line, _isRegistered, out var command))
        {
            _sink.WriteLine(_masker.Mask(line));
            return;
        }

        if (_stopped)
        {
            // While stopped, only the token is a command, and it resumes processing; other lines are shown as they are.
            if (!string.IsNullOrEmpty(_stopToken) && string.Equals(command!.Name, _stopToken, StringComparison.OrdinalIgnoreCase))
            {
                _stopped = false;
                _stopToken = null;
            }

            _sink.WriteLine(_masker.Mask(line));
            return;
        }

        if (string.Equals(command!.Name, StopCommand, StringComparison.OrdinalIgnoreCase))
        {
            _sink.WriteLine(_masker.Mask(line));
            _stopToken = command.Data;
            _stopped = true;
            return;
        }

        if (_echo && !OmitEcho.Contains(command.Name))
        {
            _sink.WriteLine(_masker.Mask(line));
        }

        var error = Execute(command);
        if (error is not null)
        {
            var shown = OmitEcho.Contains(command.Name) ? command.Name : line;
            _sink.AddAnnotation(new WorkflowAnnotation(AnnotationLevel.Error, _masker.Mask($"Unable to process command '{shown}' successfully.")));
            _sink.AddAnnotation(new WorkflowAnnotation(AnnotationLevel.Error, _masker.Mask(error)));
            _sink.FailStep();
        }
    }

    /// <summary>Runs a command; returns the error that fails the step, or null.</summary>
    private string? Execute(WorkflowCommand command)
    {
        switch (command.Name.ToLowerInvariant())
        {
            case "add-mask":
                if (string.IsNullOrWhiteSpace(command.Data))
                {
                    Warn("Can't add secret mask for empty string in ##[add-mask] command.");
                }
                else
                {
                    _masker.AddSecret(command.Data);
                    if (_echo)
                    {
                        _sink.WriteLine("::add-mask::***");
                    }
                }

                return null;

            case "set-output":
            case "save-state":
                var key = command.Property("name");
                if (string.IsNullOrEmpty(key))
                {
                    return $"Required field 'name' is missing in ##[{command.Name.ToLowerInvariant()}] command.";
                }

                Warn(string.Format(CultureInfo.InvariantCulture, DeprecatedMessage, command.Name.ToLowerInvariant()));
                if (command.Name.Equals("set-output", StringComparison.OrdinalIgnoreCase))
                {
                    _sink.SetOutput(key, command.Data);
                }
                else
                {
                    _sink.SaveState(key, command.Data);
                }

                return null;

            case "set-env":
                if (!_options.AllowUnsecureCommands)
                {
                    return string.Format(CultureInfo.InvariantCulture, DisabledMessage, "set-env");
                }

                var variable = command.Property("name");
                if (string.IsNullOrEmpty(variable))
                {
                    return "Required field 'name' is missing in ##[set-env] command.";
                }

                if (variable.Equals("NODE_OPTIONS", StringComparison.OrdinalIgnoreCase))
                {
                    _sink.AddAnnotation(new WorkflowAnnotation(AnnotationLevel.Error, "Can't update NODE_OPTIONS environment variable using ::set-env:: command."));
                    return null;
                }

                _sink.SetEnvironmentVariable(variable, command.Data);
                return null;

            case "add-path":
                if (!_options.AllowUnsecureCommands)
                {
                    return string.Format(CultureInfo.InvariantCulture, DisabledMessage, "add-path");
                }

                if (command.Data.Length == 0)
                {
                    return "Required value 'path' is missing in ##[add-path] command.";
                }

                _sink.AddPath(command.Data);
                return null;

            case "debug":
                _sink.WriteDebug(_masker.Mask(command.Data));
                return null;

            case "error":
                Annotate(AnnotationLevel.Error, command);
                return null;

            case "warning":
                Annotate(AnnotationLevel.Warning, command);
                return null;

            case "notice":
                Annotate(AnnotationLevel.Notice, command);
                return null;

            case "group":
                _sink.StartGroup(_masker.Mask(command.Data));
                return null;

            case "endgroup":
                _sink.EndGroup();
                return null;

            case "echo":
                switch (command.Data.Trim().ToUpperInvariant())
                {
                    case "ON":
                        _echo = true;
                        return null;
                    case "OFF":
                        _echo = false;
                        return null;
                    default:
                        return $"Invalid echo command value. Possible values can be: 'on', 'off'. Current value is: '{command.Data}'.";
                }

            default:
                // add-matcher, remove-matcher.
                _sink.WriteDebug($"Problem matchers are not supported: '::{command.Name}::' was ignored.");
                return null;
        }
    }

    private void Warn(string message) => _sink.AddAnnotation(new WorkflowAnnotation(AnnotationLevel.Warning, message));

    private void Annotate(AnnotationLevel level, WorkflowCommand command)
    {
        var line = ParseInt(command.Property("line"));
        var endLine = ParseInt(command.Property("endLine"));
        var column = ParseInt(command.Property("col"));
        var endColumn = ParseInt(command.Property("endColumn"));

        // GitHub's corrections of inconsistent positions.
        if (endLine is not null && line is null)
        {
            line = endLine;
        }

        if (endColumn is not null && column is null)
        {
            column = endColumn;
        }

        if (line is null || (endLine is not null && endLine != line))
        {
            column = endColumn = null;
        }

        if (line is not null && endLine is not null && endLine < line)
        {
            line = endLine = null;
        }

        if (column is not null && endColumn is not null && endColumn < column)
        {
            column = endColumn = null;
        }

        var title = command.Property("title");
        _sink.AddAnnotation(new WorkflowAnnotation(
            level,
            _masker.Mask(command.Data),
            RelativeFile(command.Property("file")),
            line,
            column,
            endLine,
            endColumn,
            title is null ? null : _masker.Mask(title)));
    }

    private string? RelativeFile(string? file)
    {
        if (string.IsNullOrEmpty(file))
        {
            return null;
        }

        var workspace = _options.Workspace?.TrimEnd('/');
        if (!string.IsNullOrEmpty(workspace) && file.StartsWith(workspace + "/", StringComparison.Ordinal))
        {
            return _masker.Mask(file[(workspace.Length + 1)..]);
        }

        return _masker.Mask(file);
    }

    private static int? ParseInt(string? value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;
}
