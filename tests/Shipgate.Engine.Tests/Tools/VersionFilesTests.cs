using Shipgate.Engine.Tools;

namespace Shipgate.Engine.Tests.Tools;

public sealed class VersionFilesTests
{
    [Theory]
    [InlineData(".nvmrc", "# pinned\nv18.20.4\n", "v18.20.4")]
    [InlineData(".node-version", "20\n", "20")]
    [InlineData(".tool-versions", "python 3.11.7\nnodejs 18.20.4\n", "18.20.4")]
    [InlineData("package.json", """{"engines":{"node":">=18"}}""", ">=18")]
    [InlineData("package.json", """{"volta":{"node":"20.1.0"},"engines":{"node":">=18"}}""", "20.1.0")]
    public void ReadNode_KnownFormats(string name, string content, string expected) =>
        Assert.Equal(expected, VersionFiles.ReadNode("/repo/" + name, content));

    [Theory]
    [InlineData(".python-version", "3.11\n", "3.11")]
    [InlineData("pyproject.toml", "[project]\nrequires-python = \">=3.10,<3.13\"\n", ">=3.10 <3.13")]
    [InlineData("pyproject.toml", "[project]\nrequires-python = \"~=3.11\"\n", "~3.11")]
    public void ReadPython_KnownFormats(string name, string content, string expected) =>
        Assert.Equal(expected, VersionFiles.ReadPython("/repo/" + name, content));

    [Theory]
    [InlineData("module x\n\ngo 1.22\n", "1.22")]
    [InlineData("module x\n\ngo 1.22\ntoolchain go1.22.3\n", "1.22.3")]
    public void ReadGo_GoMod(string content, string expected) =>
        Assert.Equal(expected, VersionFiles.ReadGo("/repo/go.mod", content));

    [Theory]
    [InlineData(".java-version", "17\n", "17")]
    [InlineData(".tool-versions", "java temurin-17.0.2+8\n", "17.0.2+8")]
    [InlineData(".sdkmanrc", "java=21.0.2-tem\n", "21.0.2")]
    public void ReadJava_KnownFormats(string name, string content, string expected) =>
        Assert.Equal(expected, VersionFiles.ReadJava("/repo/" + name, content));

    [Theory]
    [InlineData("""{"sdk":{"version":"8.0.404"}}""", ">=8.0.404 <8.0.500")]
    [InlineData("""{"sdk":{"version":"10.0.100","rollForward":"latestFeature"}}""", ">=10.0.100 <10.1")]
    [InlineData("""{"sdk":{"version":"8.0.404","rollForward":"disable"}}""", "8.0.404")]
    public void ReadDotnet_GlobalJson(string content, string expected) =>
        Assert.Equal(expected, VersionFiles.ReadDotnet(content));
}
