using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Flags.Client.Tests.Infrastructure;

/// <summary>Documents and waits the client tests share.</summary>
internal static class TestDocuments
{
    /// <summary>"checkout" (boolean: staff targeted, a 30% rollout) and "banner" (string: a 50/50 split).</summary>
    public static string Document(int checkoutPercent = 30) => $$$"""
        {"version":1,"flags":[
          {"key":"checkout","type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off","rules":[
            {"targets":["alice"],"variant":"on"},
            {"constraints":[{"contextName":"plan","operator":"IN","values":["free"]}],"variant":"off"},
            {"rollout":{"percentage":{{{checkoutPercent}}},"variants":[{"name":"on"}]}}]},
          {"key":"banner","type":"string","variants":{"red":"#d00","blue":"#00d"},"defaultVariant":"red","rules":[
            {"rollout":{"percentage":100,"variants":[{"name":"red"},{"name":"blue"}]}}]}
        ]}
        """;

    /// <summary>Parses cleanly but breaks a rule: the server must never serve it, and a client must never take it.</summary>
    public const string BadDocument = """
        {"version":1,"flags":[{"key":"checkout","type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off",
          "rules":[{"rollout":{"percentage":120,"variants":[{"name":"on"}]}}]}]}
        """;

    public static Task UntilAsync(Func<bool> condition, string what) =>
        TestTimeouts.EventuallyAsync(() => Task.FromResult(condition() ? "" : null), what);
}
