using System.Text;
using Shipgate.Core.Diagnostics;

namespace Shipgate.Core.Yaml;

/// <summary>
/// Loads a YAML file into the positioned token tree (<see cref="Workflows.TemplateToken"/>), under
/// <see cref="YamlLimits"/>. Every problem is a diagnostic; nothing here throws on bad input.
/// </summary>
public static class YamlLoader
{
    /// <summary>Reads and loads <paramref name="path"/>; diagnostics name the path as given.</summary>
    public static YamlLoadResult LoadFile(string path, YamlLimits? limits = null)
    {
        limits ??= YamlLimits.Default;
        if (Directory.Exists(path))
        {
            return Failed(path, $"'{path}' is a directory, not a YAML file");
        }

        if (!File.Exists(path))
        {
            return Failed(path, $"'{path}' does not exist");
        }

        string text;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > limits.MaxFileBytes)
            {
                return Failed(path, TooLarge(path, limits));
            }

            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            text = reader.ReadToEnd();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Failed(path, $"cannot read '{path}': {ex.Message}");
        }

        return LoadText(text, path, limits);
    }

    /// <summary>Loads YAML text; <paramref name="fileName"/> is the file named in diagnostics.</summary>
    public static YamlLoadResult LoadText(string text, string fileName, YamlLimits? limits = null)
    {
        limits ??= YamlLimits.Default;
        if (text.Length > limits.MaxFileBytes || Encoding.UTF8.GetByteCount(text) > limits.MaxFileBytes)
        {
            return Failed(fileName, TooLarge(fileName, limits));
        }

        return new YamlTreeBuilder(text, fileName, limits).Build();
    }

    private static string TooLarge(string path, YamlLimits limits) =>
        $"'{path}' is larger than the limit of {FormatBytes(limits.MaxFileBytes)} for a YAML file";

    private static string FormatBytes(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MB" : $"{bytes} bytes";

    private static YamlLoadResult Failed(string path, string message) =>
        new() { Diagnostics = [Diagnostic.Error(new SourceLocation(path, 1, 1), message)] };
}
