namespace Shipgate.Flags.Tests.Infrastructure;

/// <summary>Builds flag documents for tests.</summary>
internal static class TestFlags
{
    /// <summary>A document holding the given flags (each a JSON object).</summary>
    public static string Document(params string[] flags) => $$"""{"version":1,"flags":[{{string.Join(",", flags)}}]}""";

    /// <summary>Parses a document and fails with its errors if it does not parse.</summary>
    public static FlagConfiguration Parse(string json, TimeProvider? time = null)
    {
        var result = FlagConfiguration.Parse(json, time);
        Assert.True(result.Configuration is not null, string.Join(Environment.NewLine, result.Errors));
        return result.Configuration;
    }

    /// <summary>A boolean flag "f" (variants on/off, default off) with the given rules.</summary>
    public static FlagConfiguration BooleanFlag(string rules, TimeProvider? time = null) => Parse(Document(
        $$"""{"key":"f","type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off","rules":[{{rules}}]}"""), time);

    /// <summary>The errors a document gets; fails if it parses.</summary>
    public static IReadOnlyList<string> Errors(string json)
    {
        var result = FlagConfiguration.Parse(json);
        Assert.Null(result.Configuration);
        Assert.NotEmpty(result.Errors);
        return result.Errors;
    }
}
