using Shipgate.Engine.Commands;
using Shipgate.Engine.Logging;
using Shipgate.Engine.Masking;
using Shipgate.Engine.Processes;
using Shipgate.Engine.Tests.Processes;

namespace Shipgate.Engine.Tests.Commands;

public sealed class WorkflowCommandProcessorTests
{
    private readonly SecretMasker _masker = new();
    private readonly RecordingSink _sink = new();

    private WorkflowCommandProcessor Processor(WorkflowCommandOptions? options = null) => new(_masker, _sink, options);

    private void Run(WorkflowCommandProcessor processor, params string[] lines)
    {
        foreach (var line in lines)
        {
            processor.ProcessLine(line);
        }
    }

    [Fact]
    public void ProcessLine_PlainLine_IsWrittenMasked()
    {
        _masker.AddSecret("hunter2");

        Run(Processor(), "password is hunter2");

        Assert.Equal(["line:password is ***"], _sink.Events);
    }

    [Fact]
    public void ProcessLine_AddMask_MasksLaterLinesAndIsNotShown()
    {
        Run(Processor(), "::add-mask::s3cr3t-v4lue", "value=s3cr3t-v4lue", "{\"v\":\"s3cr3t-v4lue\"}");

        Assert.Equal(["line:value=***", "line:{\"v\":\"***\"}"], _sink.Events);
    }

    [Fact]
    public void ProcessLine_AddMaskMultiLine_MasksEachLine()
    {
        Run(Processor(), "::add-mask::first-line-secret%0Asecond-line-secret", "second-line-secret alone");

        Assert.Equal(["line:*** alone"], _sink.Events);
    }

    [Fact]
    public void ProcessLine_AddMaskEmpty_Warns()
    {
        Run(Processor(), "::add-mask::   ");

        Assert.Equal(["warning:Can't add secret mask for empty string in ##[add-mask] command."], _sink.Events);
        Assert.False(_sink.Failed);
    }

    [Fact]
    public void ProcessLine_Error_IsAnAnnotationWithRelativeFileAndMaskedMessage()
    {
        _masker.AddSecret("hunter2");

        Run(Processor(new WorkflowCommandOptions { Workspace = "/work/repo/" }),
            "::error file=/work/repo/src/a.cs,line=3,col=5,endColumn=9,title=Build hunter2::bad hunter2");

        var annotation = Assert.Single(_sink.Annotations);
        Assert.Equal(new WorkflowAnnotation(AnnotationLevel.Error, "bad ***", "src/a.cs", 3, 5, null, 9, "Build ***"), annotation);
        Assert.Empty(_sink.Lines);
        Assert.False(_sink.Failed);
    }

    [Theory]
    [InlineData("::warning endLine=4::m", 4, null, 4, null)]
    [InlineData("::warning col=3::m", null, null, null, null)]
    [InlineData("::warning line=2,endLine=5,col=1,endColumn=3::m", 2, null, 5, null)]
    [InlineData("::warning line=5,endLine=2::m", null, null, null, null)]
    [InlineData("::warning line=1,col=7,endColumn=3::m", 1, null, null, null)]
    [InlineData("::notice line=x,col=y::m", null, null, null, null)]
    public void ProcessLine_InconsistentPositions_AreCorrectedAsOnGitHub(string line, int? start, int? column, int? end, int? endColumn)
    {
        Run(Processor(), line);

        var annotation = Assert.Single(_sink.Annotations);
        Assert.Equal((start, column, end, endColumn), (annotation.Line, annotation.Column, annotation.EndLine, annotation.EndColumn));
    }

    [Fact]
    public void ProcessLine_SetOutput_IsHonouredWithDeprecationWarning()
    {
        Run(Processor(), "::set-output name=result::a%0Ab", "::save-state name=pid::42");

        Assert.Equal("a\nb", _sink.Outputs["result"]);
        Assert.Contains("state:pid=42", _sink.Events);
        Assert.Contains(_sink.Annotations, a => a.Level == AnnotationLevel.Warning && a.Message.StartsWith("The `set-output` command is deprecated", StringComparison.Ordinal));
        Assert.Contains(_sink.Annotations, a => a.Level == AnnotationLevel.Warning && a.Message.StartsWith("The `save-state` command is deprecated", StringComparison.Ordinal));
        Assert.False(_sink.Failed);
    }

    [Fact]
    public void ProcessLine_SetOutputWithoutName_FailsTheStep()
    {
        Run(Processor(), "::set-output::value");

        Assert.Equal(
            ["error:Unable to process command '::set-output::value' successfully.", "error:Required field 'name' is missing in ##[set-output] command.", "fail"],
            _sink.Events);
    }

    [Theory]
    [InlineData("::set-env name=A::1", "set-env")]
    [InlineData("::add-path::/opt/bin", "add-path")]
    public void ProcessLine_DisabledCommand_FailsWithGitHubsMessage(string line, string name)
    {
        Run(Processor(), line);

        Assert.True(_sink.Failed);
        Assert.Equal($"Unable to process command '{line}' successfully.", _sink.Annotations[0].Message);
        Assert.StartsWith($"The `{name}` command is disabled. Please upgrade to using Environment Files", _sink.Annotations[1].Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_sink.Events, e => e.StartsWith("env:", StringComparison.Ordinal) || e.StartsWith("path:", StringComparison.Ordinal));
    }

    [Fact]
    public void ProcessLine_UnsecureCommandsAllowed_AreHonouredExceptNodeOptions()
    {
        Run(Processor(new WorkflowCommandOptions { AllowUnsecureCommands = true }),
            "::set-env name=A::1", "::add-path::/opt/bin", "::set-env name=node_options::--inspect");

        Assert.Equal(["env:A=1", "path:/opt/bin", "error:Can't update NODE_OPTIONS environment variable using ::set-env:: command."], _sink.Events);
        Assert.False(_sink.Failed);
    }

    [Fact]
    public void ProcessLine_StopCommands_ShowsCommandsAsTextUntilTheToken()
    {
        Run(Processor(),
            "::stop-commands::pause-123",
            "::set-output name=a::ignored",
            "::error::not an error",
            "::PAUSE-123::",
            "::set-output name=b::taken");

        Assert.Equal(
            [
                "line:::stop-commands::pause-123",
                "line:::set-output name=a::ignored",
                "line:::error::not an error",
                "line:::PAUSE-123::",
            ],
            _sink.Events.Take(4));
        Assert.Equal(["b"], _sink.Outputs.Keys);
    }

    [Fact]
    public void ProcessLine_StopCommandsWithEmptyToken_NeverResumes()
    {
        Run(Processor(), "::stop-commands::", "::::", "::group::title");

        Assert.Equal(["line:::stop-commands::", "line:::::", "line:::group::title"], _sink.Events);
    }

    [Fact]
    public void ProcessLine_StoppedCommands_AreStillMasked()
    {
        _masker.AddSecret("hunter2");

        Run(Processor(), "::stop-commands::t", "::add-mask::hunter2-other", "::t::", "hunter2-other");

        Assert.Equal(["line:::stop-commands::t", "line:::add-mask::***-other", "line:::t::", "line:***-other"], _sink.Events);
    }

    [Fact]
    public void ProcessLine_GroupDebugEndgroup_GoToTheSink()
    {
        Run(Processor(), "::group::Build", "::debug::details", "::endgroup::");

        Assert.Equal(["group:Build", "debug:details", "endgroup"], _sink.Events);
    }

    [Fact]
    public void ProcessLine_EchoOn_EchoesCommandsButNotTheirSecrets()
    {
        Run(Processor(), "::echo::on", "::group::G", "::add-mask::my-secret-value", "::debug::d", "::echo::off", "::group::H");

        Assert.Equal(["line:::group::G", "group:G", "line:::add-mask::***", "debug:d", "line:::echo::off", "group:H"], _sink.Events);
    }

    [Fact]
    public void ProcessLine_InvalidEcho_FailsTheStep()
    {
        Run(Processor(), "::echo::loud");

        Assert.True(_sink.Failed);
        Assert.Equal("Invalid echo command value. Possible values can be: 'on', 'off'. Current value is: 'loud'.", _sink.Annotations[1].Message);
    }

    [Theory]
    [InlineData("::set-output name=x")]
    [InlineData("::made-up::data")]
    [InlineData(":: debug::data")]
    public void ProcessLine_MalformedCommand_IsShownAsText(string line)
    {
        Run(Processor(), line);

        Assert.Equal([$"line:{line}"], _sink.Events);
        Assert.False(_sink.Failed);
    }

    [Fact]
    public void OnOutput_PartialLines_AreMaskedAcrossTheCutAndNeverCommands()
    {
        _masker.AddSecret("0123456789");
        var processor = Processor();

        processor.OnOutput(new OutputLine(OutputStream.StandardOutput, "::set-output name=a::01234", IsPartial: true));
        processor.OnOutput(new OutputLine(OutputStream.StandardError, "::error::other stream"));
        processor.OnOutput(new OutputLine(OutputStream.StandardOutput, "56789 end"));
        processor.OnOutput(new OutputLine(OutputStream.StandardOutput, "::group::whole again"));

        Assert.Equal(["line:::set-output name=a::***", "error:other stream", "line:*** end", "group:whole again"], _sink.Events);
    }

    [Fact]
    public async Task OnOutput_RealStep_NoSecretReachesTheLogFile()
    {
        const string Password = "p@ss\"w0rd-42";
        const string Key = "-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEF\n-----END KEY-----";
        _masker.AddSecret(Key);
        var logPath = Path.Combine(ProcessTestSupport.NewTempDirectory(), "001-step.log");
        var environment = ProcessTestSupport.BaseEnvironment();
        environment["DB_PASSWORD"] = Password;
        environment["KEY"] = Key;
        var script = """
            echo "::add-mask::$DB_PASSWORD"
            echo "plain: $DB_PASSWORD"
            printf '{"password":"%s"}\n' "$(printf '%s' "$DB_PASSWORD" | sed 's/"/\\"/g')"
            echo "$KEY"
            echo "::stop-commands::resume-token"
            echo "::set-output name=ignored::$DB_PASSWORD"
            echo "::resume-token::"
            echo "::set-output name=kept::value" >&2
            echo "$DB_PASSWORD" | base64
            """;
        Assert.True(ShellResolver.TryResolve("bash", environment["PATH"], out var shell, out _));
        var prepared = shell.WriteScript(ProcessTestSupport.NewTempDirectory(), script);

        ProcessResult result;
        using (var log = new StepLogWriter(logPath, TimeProvider.System))
        {
            var processor = new WorkflowCommandProcessor(_masker, new RecordingSink(log));
            result = await new ProcessRunner().RunAsync(
                new ProcessSpec { FileName = prepared.FileName, Arguments = prepared.Arguments, WorkingDirectory = Path.GetTempPath(), Environment = environment },
                processor.OnOutput,
                TestContext.Current.CancellationToken).DefaultTimeoutAsync();
        }

        Assert.True(result.Succeeded);
        var text = File.ReadAllText(logPath);
        Assert.DoesNotContain("w0rd-42", text, StringComparison.Ordinal);
        Assert.DoesNotContain("MIIEvQIBADANBgkqhkiG9w0BAQEF", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Password + "\n"))[..12], text, StringComparison.Ordinal);
        Assert.Contains(" plain: ***", text, StringComparison.Ordinal);
        Assert.Contains(" {\"password\":\"***\"}", text, StringComparison.Ordinal);
        Assert.Contains(" ::set-output name=ignored::***", text, StringComparison.Ordinal);
    }
}
