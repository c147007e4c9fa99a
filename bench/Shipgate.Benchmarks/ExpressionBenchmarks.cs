using BenchmarkDotNet.Attributes;
using Shipgate.Core.Expressions;

namespace Shipgate.Benchmarks;

/// <summary>
/// The expression hot path: a typical <c>if:</c> evaluated from a cached parse (the engine parses each condition
/// once), which must take under 1 µs and allocate nothing; and the cost of parsing it.
/// Run: <c>dotnet run -c Release --project bench/Shipgate.Benchmarks -- --filter '*Expression*'</c>.
/// </summary>
[MemoryDiagnoser]
public class ExpressionBenchmarks
{
    private const string Condition = "github.ref == 'refs/heads/main' && success()";
    private const string Template = "deploy ${{ github.sha }} to ${{ matrix.os }} for ${{ github.ref }}";

    private readonly ExpressionParseOptions _options = new()
    {
        AllowedContexts = ["github", "env", "matrix", "needs", "steps"],
        AllowStatusFunctions = true,
    };

    private EvaluationContext _context = null!;
    private ParsedExpression _condition = null!;
    private ParsedExpression _implicitCondition = null!;
    private ParsedExpression _filter = null!;
    private ExpressionTemplate _template = null!;

    [GlobalSetup]
    public void Setup()
    {
        var github = new ObjectValue();
        github.Set("ref", new StringValue("refs/heads/main"));
        github.Set("sha", new StringValue("1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c"));
        github.Set("event_name", new StringValue("push"));
        var matrix = new ObjectValue();
        matrix.Set("os", new StringValue("linux"));
        var needs = ExpressionJson.FromJson("""{"build": {"result": "success"}, "test": {"result": "success"}, "lint": {"result": "skipped"}}""");
        _context = new EvaluationContext
        {
            Contexts = new Dictionary<string, ExpressionValue>(StringComparer.OrdinalIgnoreCase)
            {
                ["github"] = github,
                ["matrix"] = matrix,
                ["needs"] = needs,
                ["env"] = new ObjectValue(),
                ["steps"] = new ObjectValue(),
            },
        };

        _condition = Parse(Condition);
        if (!ExpressionParser.TryParseCondition("github.event_name == 'push' && startsWith(github.ref, 'refs/heads/')", _options, out var implicitCondition, out var error))
        {
            throw new InvalidOperationException(error.Message);
        }

        _implicitCondition = implicitCondition;
        _filter = Parse("contains(needs.*.result, 'failure')");
        if (!ExpressionTemplate.TryParse(Template, _options, out var template, out error))
        {
            throw new InvalidOperationException(error.Message);
        }

        _template = template;
    }

    /// <summary>The target: under 1 µs, 0 bytes allocated.</summary>
    [Benchmark(Baseline = true)]
    public bool EvaluateCachedCondition() => _condition.Evaluate(_context).IsTruthy;

    /// <summary>An <c>if:</c> without a status function (implicit success() &amp;&amp;) calling startsWith.</summary>
    [Benchmark]
    public bool EvaluateImplicitSuccessCondition() => _implicitCondition.Evaluate(_context).IsTruthy;

    /// <summary>An object filter builds an array: this one allocates.</summary>
    [Benchmark]
    public bool EvaluateFilterCondition() => _filter.Evaluate(_context).IsTruthy;

    [Benchmark]
    public string EvaluateTemplate() => _template.EvaluateString(_context);

    /// <summary>What caching saves: lexing, parsing and building the tree of the same condition.</summary>
    [Benchmark]
    public ParsedExpression ParseCondition() => Parse(Condition);

    private ParsedExpression Parse(string text)
        => ExpressionParser.TryParse(text, _options, out var parsed, out var error) ? parsed : throw new InvalidOperationException(error.Message);
}
