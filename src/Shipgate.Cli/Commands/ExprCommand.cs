using System.Buffers;
using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Shipgate.Core.Expressions;

namespace Shipgate.Cli.Commands;

/// <summary>
/// <c>shipgate expr 'EXPR' [--contexts FILE] [--condition]</c> evaluates one expression, for people debugging an
/// <c>if:</c>; <c>shipgate expr --batch</c> evaluates JSON lines from stdin, one JSON line out per line in.
/// </summary>
internal static class ExprCommand
{
    /// <summary>The named values an expression may use in single mode, on top of the keys of <c>--contexts</c>.</summary>
    private static readonly string[] WorkflowContexts =
        ["github", "env", "vars", "secrets", "needs", "steps", "job", "jobs", "runner", "strategy", "matrix", "inputs"];

    // JSON for tools and terminals, not for HTML: keep non-ASCII text readable.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var expression = new Argument<string?>("expression")
        {
            Description = "The expression, with or without ${{ }} (text around ${{ }} makes it a string template).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var contexts = new Option<FileInfo?>("--contexts")
        {
            Description = "A JSON file whose top-level keys are the contexts (github, env, matrix...).",
        };
        var condition = new Option<bool>("--condition")
        {
            Description = "Evaluate as an if: condition (implicit success() &&) and print whether it is true.",
        };
        var batch = new Option<bool>("--batch")
        {
            Description = "Read JSON lines {\"expr\": \"...\", \"contexts\": {...}} on stdin; write one JSON line per input.",
        };

        var command = new Command("expr", "Evaluate a GitHub Actions expression.") { expression, contexts, condition, batch };
        command.SetAction(parseResult =>
        {
            // System.CommandLine's own exception handler would print a stack trace: report bad input here.
            try
            {
                return Run(parseResult, expression, contexts, condition, batch);
            }
            catch (UserInputException ex)
            {
                Console.Error.WriteLine($"shipgate: {ex.Message}");
                return CliHost.InvalidInput;
            }
        });
        return command;
    }

    private static int Run(ParseResult parseResult, Argument<string?> expression, Option<FileInfo?> contexts, Option<bool> condition, Option<bool> batch)
    {
        if (parseResult.GetValue(batch))
        {
            if (parseResult.GetValue(expression) is not null || parseResult.GetValue(contexts) is not null)
            {
                throw new UserInputException("--batch reads expressions and contexts from stdin; give no expression or --contexts with it.");
            }

            using var input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
            using var output = Console.OpenStandardOutput();
            RunBatch(input, output);
            return CliHost.Success;
        }

        var text = parseResult.GetValue(expression)
            ?? throw new UserInputException("give an expression, e.g. shipgate expr \"github.ref == 'refs/heads/main'\", or --batch.");
        return RunOne(text, parseResult.GetValue(contexts), parseResult.GetValue(condition));
    }

    /// <summary>Evaluates each line of <paramref name="input"/> and writes one JSON line for it to <paramref name="output"/>, flushed at once.</summary>
    internal static void RunBatch(TextReader input, Stream output)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        while (input.ReadLine() is { } line)
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            WriteBatchResult(writer, line);
            writer.Flush();
            output.Write(buffer.WrittenSpan);
            output.WriteByte((byte)'\n');
            output.Flush();
        }
    }

    private static void WriteBatchResult(Utf8JsonWriter writer, string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            WriteError(writer, "input", $"The line is not JSON (error at byte {ex.BytePositionInLine + 1}).");
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("expr", out var exprJson)
                || exprJson.ValueKind != JsonValueKind.String)
            {
                WriteError(writer, "input", "Each line must be a JSON object with a string \"expr\" and an optional object \"contexts\".");
                return;
            }

            var contexts = new Dictionary<string, ExpressionValue>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("contexts", out var contextsJson) && contextsJson.ValueKind != JsonValueKind.Null)
            {
                if (contextsJson.ValueKind != JsonValueKind.Object)
                {
                    WriteError(writer, "input", "\"contexts\" must be a JSON object.");
                    return;
                }

                foreach (var property in contextsJson.EnumerateObject())
                {
                    contexts[property.Name] = ExpressionJson.FromJson(property.Value);
                }
            }

            // As in GitHub's test vectors: the contexts given are the only named values.
            var options = new ExpressionParseOptions { AllowedContexts = contexts.Keys, AllowStatusFunctions = true };
            if (!ExpressionParser.TryParse(exprJson.GetString()!, options, out var parsed, out var error)
                || !parsed.TryEvaluate(new EvaluationContext { Contexts = contexts }, out var value, out error))
            {
                WriteError(writer, error.Kind.ToString().ToLowerInvariant(), error.Message);
                return;
            }

            writer.WriteStartObject();
            writer.WriteString("kind", value.Kind.ToString());
            writer.WritePropertyName("value");
            ExpressionJson.WriteTo(writer, value);
            writer.WriteEndObject();
        }
    }

    private static void WriteError(Utf8JsonWriter writer, string kind, string message)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("kind", kind);
        writer.WriteString("message", message);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static int RunOne(string text, FileInfo? contextsFile, bool condition)
    {
        var contexts = contextsFile is null ? [] : ReadContexts(contextsFile);
        var options = new ExpressionParseOptions
        {
            AllowedContexts = [.. WorkflowContexts, .. contexts.Keys],
            AllowStatusFunctions = true,
        };
        var context = new EvaluationContext { Contexts = contexts };

        ExpressionValue value;
        ExpressionError? error;
        if (condition)
        {
            if (!ExpressionParser.TryParseCondition(text, options, out var parsed, out error) || !parsed.TryEvaluate(context, out var result, out error))
            {
                return Fail(error);
            }

            Console.Out.WriteLine(result.IsTruthy ? "true" : "false");
            return CliHost.Success;
        }

        if (text.Contains("${{", StringComparison.Ordinal))
        {
            if (!ExpressionTemplate.TryParse(text, options, out var template, out error))
            {
                return Fail(error);
            }

            try
            {
                value = template.EvaluateValue(context);
            }
            catch (ExpressionException ex)
            {
                return Fail(ex.Error);
            }
        }
        else if (!ExpressionParser.TryParse(text, options, out var parsed, out error) || !parsed.TryEvaluate(context, out value!, out error))
        {
            return Fail(error);
        }

        Console.Out.WriteLine(ExpressionJson.ToJson(value, indented: true));
        return CliHost.Success;
    }

    private static int Fail(ExpressionError error)
    {
        Console.Error.WriteLine($"shipgate: {error.Kind.ToString().ToLowerInvariant()} error: {error.Message}");
        return CliHost.InvalidInput;
    }

    private static Dictionary<string, ExpressionValue> ReadContexts(FileInfo file)
    {
        string json;
        try
        {
            json = File.ReadAllText(file.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException(ex is FileNotFoundException or DirectoryNotFoundException
                ? $"{file.FullName}: the contexts file does not exist."
                : $"{file.FullName}: cannot read the contexts file ({ex.GetType().Name}).");
        }

        ExpressionValue value;
        try
        {
            value = ExpressionJson.FromJson(json);
        }
        catch (JsonException ex)
        {
            throw new UserInputException($"{file.FullName}:{ex.LineNumber + 1}:{ex.BytePositionInLine + 1}: error: the contexts file is not JSON.");
        }

        if (value is not ObjectValue obj)
        {
            throw new UserInputException($"{file.FullName}: the contexts file must hold a JSON object whose keys are the contexts.");
        }

        var contexts = new Dictionary<string, ExpressionValue>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in obj.Pairs)
        {
            contexts[pair.Key] = pair.Value;
        }

        return contexts;
    }
}
