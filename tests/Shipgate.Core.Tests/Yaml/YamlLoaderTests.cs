using System.Text;
using Shipgate.Core.Diagnostics;
using Shipgate.Core.Workflows;
using Shipgate.Core.Yaml;

namespace Shipgate.Core.Tests.Yaml;

public sealed class YamlLoaderTests
{
    private static YamlLoadResult Load(string yaml, YamlLimits? limits = null) => YamlLoader.LoadText(yaml, "w.yml", limits);

    private static Diagnostic SingleError(YamlLoadResult result)
    {
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        return error;
    }

    [Fact]
    public void LoadText_Mapping_KeepsOrderAndPositions()
    {
        var result = Load("name: ci\non:\n  push:\n    branches: [main, 'dev']\n");

        Assert.Empty(result.Diagnostics);
        var root = Assert.IsType<MappingToken>(result.Root);
        Assert.Equal(["name", "on"], root.Pairs.Select(p => p.Key.Value));
        Assert.Equal(new SourceLocation("w.yml", 2, 1), root.Pairs[1].Key.Location);
        var branches = Assert.IsType<SequenceToken>(((MappingToken)((MappingToken)root["on"]!)["push"]!)["branches"]);
        Assert.Equal(new SourceLocation("w.yml", 4, 15), branches.Location);
        var dev = Assert.IsType<ScalarToken>(branches.Items[1]);
        Assert.Equal("dev", dev.Value);
        Assert.False(dev.IsPlain);
        Assert.Equal(new SourceLocation("w.yml", 4, 22), dev.Location);
    }

    [Fact]
    public void LoadText_PlainAndQuotedScalars_SetIsPlain()
    {
        var root = (MappingToken)Load("a: true\nb: 'true'\nc: \"1\"\nd: 1\ne: !!str 2\n").Root!;

        Assert.True(((ScalarToken)root["a"]!).IsPlain);
        Assert.False(((ScalarToken)root["b"]!).IsPlain);
        Assert.False(((ScalarToken)root["c"]!).IsPlain);
        Assert.True(((ScalarToken)root["d"]!).IsPlain);
        Assert.False(((ScalarToken)root["e"]!).IsPlain);
    }

    [Fact]
    public void LoadText_EmptyText_HasNoRootAndNoError()
    {
        var result = Load("# only a comment\n");

        Assert.Null(result.Root);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void LoadText_UnclosedQuote_ReportsPositionedSyntaxError()
    {
        var error = SingleError(Load("name: ci\nrun: 'echo\n"));

        Assert.Equal(new SourceLocation("w.yml", 2, 6), error.Location);
        Assert.Equal("YAML syntax error: a quoted string is not closed", error.Message);
    }

    [Fact]
    public void LoadText_ColonInPlainValue_ReportsOneSentence()
    {
        var error = SingleError(Load("a: b: c\n"));

        Assert.Equal(new SourceLocation("w.yml", 1, 5), error.Location);
        Assert.StartsWith("YAML syntax error: ", error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    [Fact]
    public void LoadText_BadIndentation_ReportsLineOfTheMistake()
    {
        var error = SingleError(Load("jobs:\n  build:\n    runs-on: x\n   steps: []\n"));

        Assert.Equal(4, error.Location!.Line);
        Assert.Contains("indentation", error.Message);
    }

    [Fact]
    public void LoadText_UnclosedFlowSequenceBeforeBlockMapping_ReportsErrorNotException()
    {
        // YamlDotNet's scanner throws InvalidOperationException (without a position) on this input.
        var error = SingleError(Load("a: [1\nb: 2\n"));

        Assert.Equal(2, error.Location!.Line);
        Assert.StartsWith("YAML syntax error: ", error.Message);
    }

    [Fact]
    public void LoadText_DuplicateKey_IsErrorAtTheSecondKey()
    {
        var result = Load("jobs:\n  build: {}\n  test: {}\n  build: {}\n");

        var error = SingleError(result);
        Assert.Equal(new SourceLocation("w.yml", 4, 3), error.Location);
        Assert.Equal("'build' is already defined at line 2", error.Message);
    }

    [Fact]
    public void LoadText_DuplicateKeyDifferingInCase_IsError()
    {
        var error = SingleError(Load("env:\n  PATH: a\n  path: b\n"));

        Assert.Equal(new SourceLocation("w.yml", 3, 3), error.Location);
    }

    [Fact]
    public void LoadText_DuplicateKeysInSeveralMappings_ReportsEach()
    {
        var result = Load("a: 1\na: 2\nb:\n  c: 1\n  c: 2\n");

        Assert.Equal(2, result.Diagnostics.Count);
        Assert.Equal([2, 5], result.Diagnostics.Select(d => d.Location!.Line));
    }

    [Fact]
    public void LoadText_AnchorAndAlias_SharesTheAnchoredToken()
    {
        var root = (MappingToken)Load("base: &env\n  A: 1\ncopy: *env\n").Root!;

        Assert.Same(root["base"], root["copy"]);
    }

    [Fact]
    public void LoadText_UnknownAlias_IsPositionedError()
    {
        var error = SingleError(Load("a: 1\nb: *missing\n"));

        Assert.Equal(new SourceLocation("w.yml", 2, 4), error.Location);
        Assert.Contains("unknown anchor 'missing'", error.Message);
    }

    [Fact]
    public void LoadText_AliasInsideItsOwnAnchor_IsUnknownAnchor()
    {
        var result = Load("a: &x [1, *x]\n");

        Assert.Contains("unknown anchor 'x'", SingleError(result).Message);
    }

    [Fact]
    public void LoadText_BillionLaughs_IsRefusedByTheNodeLimit()
    {
        var yaml = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i < 10; i++)
        {
            yaml.Append($"a{i}: &a{i} [");
            yaml.AppendJoin(", ", Enumerable.Repeat($"*a{i - 1}", 10));
            yaml.Append("]\n");
        }

        var result = Load(yaml.ToString());

        Assert.Null(result.Root);
        var error = SingleError(result);
        Assert.Contains("more than 1,000,000 values", error.Message);
        Assert.True(error.Location!.Line > 1);
    }

    [Fact]
    public void LoadText_DeepNesting_IsRefusedAtTheLimit()
    {
        var yaml = new string('[', 65) + new string(']', 65);

        var result = Load(yaml);

        Assert.Null(result.Root);
        var error = SingleError(result);
        Assert.Equal(new SourceLocation("w.yml", 1, 65), error.Location);
        Assert.Equal("nesting is deeper than the limit of 64 levels", error.Message);
    }

    [Fact]
    public void LoadText_NestingAtTheLimit_IsAccepted()
    {
        var result = Load(new string('[', 64) + new string(']', 64));

        Assert.Empty(result.Diagnostics);
        Assert.NotNull(result.Root);
    }

    [Fact]
    public void LoadText_DeepBlockMappings_AreRefused()
    {
        var yaml = new StringBuilder();
        for (var i = 0; i < 70; i++)
        {
            yaml.Append(' ', i).Append($"k{i}:\n");
        }

        var error = SingleError(Load(yaml.ToString()));

        Assert.Equal(65, error.Location!.Line);
    }

    [Fact]
    public void LoadText_NonScalarKey_IsError()
    {
        var error = SingleError(Load("? [a, b]\n: 1\n"));

        Assert.Equal("a mapping key must be a string, not a sequence", error.Message);
    }

    [Fact]
    public void LoadText_TwoDocuments_IsError()
    {
        var error = SingleError(Load("a: 1\n---\nb: 2\n"));

        Assert.Equal(2, error.Location!.Line);
        Assert.Contains("more than one YAML document", error.Message);
    }

    [Fact]
    public void LoadText_OverTheSizeLimit_IsOneSentence()
    {
        var result = Load(new string('#', 2000), new YamlLimits { MaxFileBytes = 1000 });

        Assert.Null(result.Root);
        Assert.Equal("'w.yml' is larger than the limit of 1000 bytes for a YAML file", SingleError(result).Message);
    }

    [Fact]
    public void LoadFile_Over10Megabytes_IsRefusedWithoutParsing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"shipgate-big-{Guid.NewGuid():N}.yml");
        try
        {
            using (var stream = File.Create(path))
            {
                stream.SetLength((10 * 1024 * 1024) + 1);
            }

            var error = SingleError(YamlLoader.LoadFile(path));

            Assert.Equal($"'{path}' is larger than the limit of 10 MB for a YAML file", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadFile_MissingFile_IsOneSentence()
    {
        var error = SingleError(YamlLoader.LoadFile("/nonexistent/shipgate/w.yml"));

        Assert.Equal("'/nonexistent/shipgate/w.yml' does not exist", error.Message);
    }

    [Fact]
    public void LoadFile_Directory_IsOneSentence()
    {
        var error = SingleError(YamlLoader.LoadFile(Path.GetTempPath()));

        Assert.EndsWith("is a directory, not a YAML file", error.Message);
    }

    [Fact]
    public void LoadFile_WithByteOrderMark_LoadsAtLineOne()
    {
        var path = Path.Combine(Path.GetTempPath(), $"shipgate-bom-{Guid.NewGuid():N}.yml");
        try
        {
            File.WriteAllText(path, "name: x\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

            var root = Assert.IsType<MappingToken>(YamlLoader.LoadFile(path).Root);

            Assert.Equal(new SourceLocation(path, 1, 1), root.Pairs[0].Key.Location);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
