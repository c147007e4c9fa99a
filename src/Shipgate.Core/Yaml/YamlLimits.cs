namespace Shipgate.Core.Yaml;

/// <summary>Hard limits on a YAML file, so that a hostile or broken file cannot exhaust memory or time.</summary>
public sealed class YamlLimits
{
    /// <summary>The limits Shipgate uses for workflow and configuration files.</summary>
    public static YamlLimits Default { get; } = new();

    /// <summary>Largest file accepted, in bytes. Default 10 MB.</summary>
    public long MaxFileBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>Deepest nesting of sequences and mappings. Default 64.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>
    /// Most nodes (scalars, sequences, mappings) in the document, counting an alias as the whole
    /// subtree it stands for, so that nested aliases (the "billion laughs") are refused. Default 1,000,000.
    /// </summary>
    public int MaxNodes { get; init; } = 1_000_000;
}
