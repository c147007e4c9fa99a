using System.Diagnostics;
using System.Globalization;
using Shipgate.Delivery.Tests.Analysis;

namespace Shipgate.Benchmarks;

/// <summary>
/// <c>canary-analysis</c>: the issue's measured figures for the canary analysis (docs/benchmarks.md, "Canary analysis"),
/// by feeding the real CanaryAnalyst a simulated edge (tests/Shipgate.Delivery.Tests/Analysis/SimulatedEdge.cs): every
/// simulated second a Poisson number of requests at the total rate, each to the canary with the weight's probability and
/// failing with its release's error rate; one look per second on a fake clock. (a) detection of 5% against 0.5% at 10%
/// weight and 200 req/s, (b) false aborts of identical releases, (c) detection time against the ratio and the weight.
/// </summary>
internal static class CanaryAnalysisSimulation
{
    public static async Task<int> RunAsync(string[] args)
    {
        var (detection, aa, looks, power, seed) = (50, 200, 1000, 50, 20261207);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--detection-rollouts": detection = value; break;
                case "--aa-rollouts": aa = value; break;
                case "--aa-looks": looks = value; break;
                case "--power-rollouts": power = value; break;
                case "--seed": seed = value; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }

        var clock = Stopwatch.StartNew();
        Console.WriteLine($"seed {seed}; 200 req/s in total; stable fails 0.5%; one look per simulated second");
        Console.WriteLine();
        var times = await TimesAsync(detection, seed, 0.1, 0.05, 600);
        Console.WriteLine($"(a) canary 5% vs stable 0.5%, weight 10%: {Summary(times, 600)} over {detection} rollouts");
        Console.WriteLine();

        var aborted = 0;
        var byMetric = new Dictionary<string, int>();
        for (var r = 0; r < aa; r++)
        {
            var edge = new SimulatedEdge(CanarySimulation.Subject, seed + 100_000 + r) { CanaryWeight = 0.1 };
            var (seconds, last) = await CanarySimulation.RunAsync(edge, looks);
            if (seconds is not null)
            {
                aborted++;
                var metric = last.Measurements.First(m => m.Outcome == Delivery.Analysis.AnalysisOutcome.Failed).Metric;
                byMetric[metric] = byMetric.GetValueOrDefault(metric) + 1;
            }
        }

        Console.WriteLine($"(b) A/A, weight 10%: {aborted} of {aa} rollouts of {looks} looks aborted ({(double)aborted / aa:0.0%}; alpha 5%)" +
            (byMetric.Count > 0 ? $" by {string.Join(", ", byMetric.Select(m => $"{m.Key} {m.Value}"))}" : ""));
        Console.WriteLine();

        Console.WriteLine($"(c) median seconds to abort ({power} rollouts each, at most 3600 looks; stable 0.5%)");
        Console.WriteLine();
        Console.WriteLine("| canary error rate | weight 1% | weight 5% | weight 10% |");
        Console.WriteLine("| --- | --- | --- | --- |");
        foreach (var ratio in new[] { 2, 5, 10 })
        {
            var cells = new List<string>();
            foreach (var weight in new[] { 0.01, 0.05, 0.1 })
            {
                cells.Add(Summary(await TimesAsync(power, seed + (ratio * 1000) + (int)(weight * 100), weight, 0.005 * ratio, 3600), 3600));
            }

            Console.WriteLine($"| {ratio}× ({0.5 * ratio:0.#}%) | {string.Join(" | ", cells)} |");
        }

        Console.WriteLine();
        Console.WriteLine($"({clock.Elapsed.TotalSeconds:0} s)");
        return 0;
    }

    private static async Task<List<int?>> TimesAsync(int rollouts, int seed, double weight, double canaryErrorRate, int looks)
    {
        var times = new List<int?>();
        for (var r = 0; r < rollouts; r++)
        {
            var edge = new SimulatedEdge(CanarySimulation.Subject, seed + r) { CanaryWeight = weight, CanaryErrorRate = canaryErrorRate };
            times.Add((await CanarySimulation.RunAsync(edge, looks)).Seconds);
        }

        return times;
    }

    /// <summary>The median (a rollout that never aborted counts as longer than any), and the range.</summary>
    private static string Summary(List<int?> times, int looks)
    {
        var sorted = times.Select(t => t ?? int.MaxValue).Order().ToList();
        var median = sorted[(sorted.Count - 1) / 2];
        var detected = times.Count(t => t is not null);
        var text = median == int.MaxValue ? $"> {looks} s" : $"{median} s";
        return detected == times.Count
            ? $"{text} (min {sorted[0]}, max {sorted[^1]})"
            : $"{text} ({detected}/{times.Count} within {looks} s)";
    }
}
