using Shipgate.Cli.Run;

namespace Shipgate.Cli.Tests.Run;

public sealed class SecretSourcesTests
{
    [Fact]
    public void Collect_AllSources_LaterSourcesWin()
    {
        var file = Path.Combine(Path.GetTempPath(), $"shipgate-secrets-{Guid.NewGuid():N}.env");
        File.WriteAllText(file, "TOKEN=from-file\nONLY_FILE=f\n");
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["SHIPGATE_SECRET_TOKEN"] = "from-env",
                ["SHIPGATE_SECRET_ONLY_ENV"] = "e",
                ["PATH"] = "/bin",
            };

            var secrets = SecretSources.Collect(environment, [file], ["TOKEN=from-flag=with-equals"]);

            Assert.Equal("from-flag=with-equals", secrets["TOKEN"]);
            Assert.Equal("f", secrets["ONLY_FILE"]);
            Assert.Equal("e", secrets["ONLY_ENV"]);
            Assert.False(secrets.ContainsKey("PATH"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Collect_ArgumentWithoutName_ThrowsWithoutEchoingTheValue()
    {
        var ex = Assert.Throws<UserInputException>(() => SecretSources.Collect(new Dictionary<string, string>(), [], ["=hunter2"]));
        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_MissingFile_SaysWhich()
    {
        var ex = Assert.Throws<UserInputException>(() => SecretSources.Collect(new Dictionary<string, string>(), ["/nonexistent/s.env"], []));
        Assert.Equal("The secret file '/nonexistent/s.env' does not exist.", ex.Message);
    }
}
