using Shipgate.Engine.Commands;
using Shipgate.Engine.Masking;
using Shipgate.Engine.Processes;
using Shipgate.Engine.Tests.Processes;

namespace Shipgate.Engine.Tests.Commands;

public sealed class FileCommandSetTests
{
    private readonly SecretMasker _masker = new();
    private readonly RecordingSink _sink = new();
    private readonly FileCommandSet _files = FileCommandSet.Create(ProcessTestSupport.NewTempDirectory());

    private string FileOf(string variable) => _files.EnvironmentVariables[variable];

    private void Write(string variable, string content) => File.WriteAllText(FileOf(variable), content);

    [Fact]
    public void Create_MakesFiveEmptyFiles()
    {
        Assert.Equal(["GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_STATE", "GITHUB_STEP_SUMMARY"], _files.EnvironmentVariables.Keys.Order(StringComparer.Ordinal));
        Assert.All(_files.EnvironmentVariables.Values, file => Assert.Equal(0, new FileInfo(file).Length));
    }

    [Fact]
    public void Create_NextStep_GetsNewFilesSoAnEarlierStepsBackgroundProcessCannotWriteIntoThem()
    {
        var directory = ProcessTestSupport.NewTempDirectory();
        var first = FileCommandSet.Create(directory);
        first.Delete();

        var second = FileCommandSet.Create(directory);

        Assert.Empty(first.EnvironmentVariables.Values.Intersect(second.EnvironmentVariables.Values));
        Assert.All(first.EnvironmentVariables.Values, file => Assert.False(File.Exists(file)));
        second.Delete();
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Create_Files_AreReadableByTheirOwnerOnly()
    {
        Assert.All(_files.EnvironmentVariables.Values, file => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file)));
    }

    [Fact]
    public void Delete_WrittenAndEmptyFiles_RemovesAll()
    {
        File.WriteAllText(FileOf("GITHUB_ENV"), "A=1\n");

        _files.Delete();

        Assert.All(_files.EnvironmentVariables.Values, file => Assert.False(File.Exists(file)));
    }

    [Fact]
    public void Process_NothingWritten_ReportsNothing()
    {
        _files.Process(_sink, _masker);

        Assert.Empty(_sink.Events);
    }

    [Fact]
    public void Process_SimplePairs_AreOutputs()
    {
        // Test vectors from GitHub's runner tests (FileCommandTestBase): empty lines, empty values, '=' in values.
        Write("GITHUB_OUTPUT", "\nMY_KEY=my value\n\nMY_KEY_2=\nMY_KEY_3==abc\nMY_KEY_4=def=ghi\n");

        _files.Process(_sink, _masker);

        Assert.Equal(["output:MY_KEY=my value", "output:MY_KEY_2=", "output:MY_KEY_3==abc", "output:MY_KEY_4=def=ghi"], _sink.Events);
    }

    [Fact]
    public void Process_HeredocEdgeCases_MatchGitHub()
    {
        // Test vectors from GitHub's runner tests (TestHeredoc_EdgeCases), with the results of the runner's
        // released parser (EnvFileKeyValuePairs), which is what Shipgate follows.
        Write("GITHUB_OUTPUT", string.Join('\n',
            "MY_KEY_1<<EOF", "hello", "", "three", "", "EOF",
            "MY_KEY_2<<EOF", "hello=two", "EOF",
            "MY_KEY_3<<EOF", " EOF", "EOF",
            "MY_KEY_4<<EOF", "EOF EOF", "EOF",
            "MY_KEY_5=abc << def",
            "MY_KEY_6=    <<EOF",
            "white space test",
            "EOF",
            "MY_KEY_7 <<=EOF=", "abc", "=EOF=",
            "MY_KEY_8<<EOF", "EOF",
            ""));

        _files.Process(_sink, _masker);

        Assert.Equal("hello\n\nthree\n", _sink.Outputs["MY_KEY_1"]);
        Assert.Equal("hello=two", _sink.Outputs["MY_KEY_2"]);
        Assert.Equal(" EOF", _sink.Outputs["MY_KEY_3"]);
        Assert.Equal("EOF EOF", _sink.Outputs["MY_KEY_4"]);
        Assert.Equal("abc << def", _sink.Outputs["MY_KEY_5"]);
        // '=' comes before '<<', so "MY_KEY_6=    <<EOF" is a plain pair and the next line is malformed.
        Assert.Equal("    <<EOF", _sink.Outputs["MY_KEY_6"]);
        Assert.True(_sink.Failed);
        Assert.Contains("error:Invalid format 'white space test'", _sink.Events);
    }

    [Fact]
    public void Process_HeredocWithSpaceInName_KeepsTheName()
    {
        Write("GITHUB_ENV", "MY_KEY_7 <<=EOF=\nabc\n=EOF=\nEMPTY<<X\nX\n");

        _files.Process(_sink, _masker);

        Assert.Equal(["env:MY_KEY_7 =abc", "env:EMPTY="], _sink.Events);
    }

    [Fact]
    public void Process_MissingDelimiter_FailsAfterKeepingEarlierPairs()
    {
        Write("GITHUB_OUTPUT", "FIRST=1\nMULTI<<EOF\nline one\nline two\n");

        _files.Process(_sink, _masker);

        Assert.Equal(
            ["output:FIRST=1", "error:Unable to process file command 'output' successfully.", "error:Invalid value. Matching delimiter not found 'EOF'", "fail"],
            _sink.Events);
    }

    [Fact]
    public void Process_DelimiterNotOnItsOwnLine_ReportsMissingNewLine()
    {
        Write("GITHUB_STATE", "MY_STATE<<EOF\nline one\nline two EOF");

        _files.Process(_sink, _masker);

        Assert.Contains("error:Invalid value. EOF marker missing new line.", _sink.Events);
        Assert.True(_sink.Failed);
    }

    [Theory]
    [InlineData("<<EOF\nx\nEOF\n", "Invalid format '<<EOF'. Name must not be empty and delimiter must not be empty")]
    [InlineData("NAME<<\nx\n\n", "Invalid format 'NAME<<'. Name must not be empty and delimiter must not be empty")]
    [InlineData("just some text\n", "Invalid format 'just some text'")]
    public void Process_MalformedEntry_FailsWithGitHubsMessage(string content, string message)
    {
        Write("GITHUB_ENV", content);

        _files.Process(_sink, _masker);

        Assert.Equal(["error:Unable to process file command 'env' successfully.", $"error:{message}", "fail"], _sink.Events);
    }

    [Fact]
    public void Process_EmptyName_IsSkippedWithAWarning()
    {
        Write("GITHUB_OUTPUT", "=value\nOK=1\n");

        _files.Process(_sink, _masker);

        Assert.Equal(["warning:Invalid format '=value'. Name must not be empty", "output:OK=1"], _sink.Events);
        Assert.False(_sink.Failed);
    }

    [Fact]
    public void Process_ValueContainingItsDelimiterLine_EndsTheValueThere()
    {
        Write("GITHUB_OUTPUT", "A<<END\nbefore\nEND\nafter\nEND\n");

        _files.Process(_sink, _masker);

        Assert.Equal("before", _sink.Outputs["A"]);
        Assert.True(_sink.Failed);
        Assert.Contains("error:Invalid format 'after'", _sink.Events);
    }

    [Fact]
    public void Process_NodeOptionsInEnv_IsRefused()
    {
        Write("GITHUB_ENV", "NODE_OPTIONS=--require evil.js\nSAFE=1\n");

        _files.Process(_sink, _masker);

        Assert.Equal(["error:Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command.", "env:SAFE=1"], _sink.Events);
        Assert.False(_sink.Failed);
    }

    [Fact]
    public void Process_Path_AddsEachNonEmptyLineInOrder()
    {
        Write("GITHUB_PATH", "/opt/a/bin\n\n/opt/b bin\r\n/opt/c\n");

        _files.Process(_sink, _masker);

        Assert.Equal(["path:/opt/a/bin", "path:/opt/b bin", "path:/opt/c"], _sink.Events);
    }

    [Fact]
    public void Process_Summary_IsMaskedAndAppended()
    {
        _masker.AddSecret("hunter2");
        Write("GITHUB_STEP_SUMMARY", "## Result\n\nToken: hunter2\n");

        _files.Process(_sink, _masker);

        Assert.Equal(["summary:## Result\n\nToken: ***\n"], _sink.Events);
    }

    [Fact]
    public void Process_SummaryOverOneMebibyte_IsRefusedWithoutFailingTheStep()
    {
        File.WriteAllText(FileOf("GITHUB_STEP_SUMMARY"), new string('x', (1024 * 1024) + 2048));

        _files.Process(_sink, _masker);

        var message = Assert.Single(_sink.Annotations).Message;
        Assert.StartsWith("$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of 1024k, got 1026k.", message, StringComparison.Ordinal);
        Assert.False(_sink.Failed);
    }

    [Fact]
    public void Process_HugeOutputFile_IsAnErrorNotARead()
    {
        using (var stream = File.OpenWrite(FileOf("GITHUB_OUTPUT")))
        {
            stream.SetLength(FileCommandSet.MaxFileBytes + 1);
        }

        _files.Process(_sink, _masker);

        Assert.True(_sink.Failed);
        Assert.Contains("error:Unable to process file command 'output' successfully.", _sink.Events);
    }

    [Fact]
    public void Process_ErrorMessages_AreMasked()
    {
        _masker.AddSecret("hunter2");
        Write("GITHUB_ENV", "hunter2 in a malformed line\n");

        _files.Process(_sink, _masker);

        Assert.Contains("error:Invalid format '*** in a malformed line'", _sink.Events);
    }

    [Fact]
    public void Process_FilesDeletedByTheStep_AreSkipped()
    {
        foreach (var file in _files.EnvironmentVariables.Values)
        {
            File.Delete(file);
        }

        _files.Process(_sink, _masker);

        Assert.Empty(_sink.Events);
    }

    [Fact]
    public async Task Process_WrittenByARealStep_ReadsOutputsEnvPathAndSummary()
    {
        var environment = ProcessTestSupport.BaseEnvironment();
        foreach (var (name, value) in _files.EnvironmentVariables)
        {
            environment[name] = value;
        }

        var script = """
            echo "simple=one" >> "$GITHUB_OUTPUT"
            delimiter="ghadelimiter_$RANDOM"
            { echo "multi<<$delimiter"; printf 'line 1\nline 2\n'; echo "$delimiter"; } >> "$GITHUB_OUTPUT"
            echo "GREETING=hello" >> "$GITHUB_ENV"
            echo "/opt/tool/bin" >> "$GITHUB_PATH"
            echo "# Done" >> "$GITHUB_STEP_SUMMARY"
            """;
        var spec = new ProcessSpec { FileName = "bash", Arguments = ["-e", "-c", script], WorkingDirectory = Path.GetTempPath(), Environment = environment };

        var result = await new ProcessRunner().RunAsync(spec, _ => { }, TestContext.Current.CancellationToken).DefaultTimeoutAsync();
        _files.Process(_sink, _masker);

        Assert.True(result.Succeeded);
        Assert.Equal("one", _sink.Outputs["simple"]);
        Assert.Equal("line 1\nline 2", _sink.Outputs["multi"]);
        Assert.Contains("env:GREETING=hello", _sink.Events);
        Assert.Contains("path:/opt/tool/bin", _sink.Events);
        Assert.Contains("summary:# Done\n", _sink.Events);
    }

    [Fact]
    public void FormatEntry_RoundTripsThroughTheParser()
    {
        Write("GITHUB_OUTPUT", FileCommandFormatter.FormatEntry("json", "{\n  \"a\": 1\n}") + FileCommandFormatter.FormatEntry("empty", ""));

        _files.Process(_sink, _masker);

        Assert.Equal("{\n  \"a\": 1\n}", _sink.Outputs["json"]);
        Assert.Equal("", _sink.Outputs["empty"]);
    }

    [Fact]
    public void FormatEntry_ValueContainingDelimiter_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => FileCommandFormatter.FormatEntry("a", "x\nEOF\ny", "EOF"));

        Assert.StartsWith("Unexpected input: value should not contain the delimiter \"EOF\"", error.Message, StringComparison.Ordinal);
    }
}
