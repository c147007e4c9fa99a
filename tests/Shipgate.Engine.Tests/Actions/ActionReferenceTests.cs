using Shipgate.Engine.Actions;

namespace Shipgate.Engine.Tests.Actions;

public sealed class ActionReferenceTests
{
    [Theory]
    [InlineData("actions/checkout@v4", "actions/checkout", null, "v4")]
    [InlineData("Actions/Cache/restore@v3", "actions/cache/restore", "restore", "v3")]
    public void TryParse_RemoteReference_SplitsParts(string uses, string key, string? path, string version)
    {
        var reference = ActionReference.TryParse(uses);
        Assert.NotNull(reference);
        Assert.Equal(key, reference.Key);
        Assert.Equal(path, reference.Path);
        Assert.Equal(version, reference.Ref);
    }

    [Theory]
    [InlineData("checkout")]
    [InlineData("actions/checkout@")]
    [InlineData("@v1")]
    public void TryParse_Malformed_ReturnsNull(string uses) => Assert.Null(ActionReference.TryParse(uses));
}
