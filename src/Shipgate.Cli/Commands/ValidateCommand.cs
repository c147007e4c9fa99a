using System.CommandLine;
using Shipgate.Core.Diagnostics;
using Shipgate.Core.Workflows;

namespace Shipgate.Cli.Commands;

/// <summary>
/// <c>shipgate validate PATH...</c>: checks workflow files (or the workflows of repositories and
/// directories) and prints every diagnostic as <c>file:line:col: error: message</c> on stdout, then a
/// summary on stderr. Exit 2 when there is any error (warnings alone exit 0).
/// </summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("path")
        {
            Description = "Workflow files, repositories (their .shipgate/workflows and .github/workflows) or directories of workflow files.",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("validate", "Check workflow files and report every error with its file, line and column.") { paths };
        command.SetAction(parseResult => Run(parseResult.GetValue(paths) ?? [], Console.Out, Console.Error));
        return command;
    }

    internal static int Run(IReadOnlyList<string> paths, TextWriter output, TextWriter messages)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (!WorkflowLoader.TryResolveWorkflowFiles(path, out var found, out var error))
            {
                messages.WriteLine($"shipgate: {error}");
                return CliHost.InvalidInput;
            }

            files.AddRange(found);
        }

        var errors = 0;
        var warnings = 0;
        foreach (var file in files.Distinct(StringComparer.Ordinal))
        {
            foreach (var diagnostic in WorkflowLoader.LoadFile(file).Diagnostics)
            {
                output.WriteLine(diagnostic.ToString());
                if (diagnostic.Severity == DiagnosticSeverity.Error)
                {
                    errors++;
                }
                else
                {
                    warnings++;
                }
            }
        }

        messages.WriteLine($"shipgate: {Count(files.Count, "workflow file")} checked: {Count(errors, "error")}, {Count(warnings, "warning")}.");
        return errors > 0 ? CliHost.InvalidInput : CliHost.Success;
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
