using Shipgate.Engine.Actions;

namespace Shipgate.Engine.Tests.Actions;

public sealed class BuiltinActionsTests
{
    [Theory]
    [InlineData("actions/checkout@v4", "actions/checkout")]
    [InlineData("actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", "actions/checkout")]
    [InlineData("actions/upload-artifact@v3", "actions/upload-artifact")]
    [InlineData("actions/download-artifact@v4", "actions/download-artifact")]
    [InlineData("actions/cache@v4", "actions/cache")]
    [InlineData("actions/cache/restore@v4", "actions/cache/restore")]
    [InlineData("actions/cache/save@v4", "actions/cache/save")]
    [InlineData("actions/setup-node@v4", "actions/setup-node")]
    [InlineData("actions/setup-python@v5", "actions/setup-python")]
    [InlineData("actions/setup-dotnet@v4", "actions/setup-dotnet")]
    [InlineData("actions/setup-go@v5", "actions/setup-go")]
    [InlineData("actions/setup-java@v4", "actions/setup-java")]
    [InlineData("trstringer/manual-approval@v1", "trstringer/manual-approval")]
    [InlineData("Actions/Checkout@v4", "actions/checkout")]
    public void Find_KnownAction_AnyVersion(string uses, string key)
    {
        var actions = BuiltinActions.CreateDefault();

        var action = BuiltinActions.Find(actions, ActionReference.TryParse(uses)!);

        Assert.NotNull(action);
        Assert.Equal(key, action.Key);
    }

    [Theory]
    [InlineData("actions/github-script@v7")]
    [InlineData("actions/checkout/sub@v4")]
    [InlineData("./local")]
    public void Find_OtherAction_IsNull(string uses) =>
        Assert.Null(BuiltinActions.Find(BuiltinActions.CreateDefault(), ActionReference.TryParse(uses)!));

    [Fact]
    public void CreateDefault_ReturnsANewDictionaryCallersMayExtend()
    {
        var first = BuiltinActions.CreateDefault();
        first.Remove("actions/checkout");

        Assert.Contains("actions/checkout", BuiltinActions.CreateDefault().Keys);
    }
}
