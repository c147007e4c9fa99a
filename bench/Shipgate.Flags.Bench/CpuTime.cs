using System.Diagnostics;
using System.Globalization;

namespace Shipgate.Flags.Bench;

/// <summary>
/// The same two evaluations as <see cref="FlagEvaluationBenchmarks"/>, timed by the process's CPU time instead of the
/// wall clock, so that other work on a shared machine does not count: `cpu [seconds]` prints each one's CPU
/// nanoseconds per evaluation, the median of five rounds.
/// </summary>
internal static class CpuTime
{
    public static int Run(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 2;
        var benchmarks = new FlagEvaluationBenchmarks();
        benchmarks.Setup();
        try
        {
            var shipgate = Measure(() => benchmarks.Shipgate(), seconds);
            var peer = Measure(() => benchmarks.FeatureManagement().GetAwaiter().GetResult(), seconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Shipgate.Flags: {shipgate:F1} ns, Microsoft.FeatureManagement targeting: {peer:F1} ns (CPU time per evaluation, "
                + $"median of 5 rounds), ratio {peer / shipgate:F1}"));
            return 0;
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    private static double Measure(Func<bool> evaluate, double seconds)
    {
        // Warm up, and size a round to take about the given CPU time.
        var batch = 1_000;
        var process = Process.GetCurrentProcess();
        while (true)
        {
            var start = process.TotalProcessorTime;
            RunBatch(evaluate, batch);
            process.Refresh();
            if ((process.TotalProcessorTime - start).TotalSeconds > seconds / 10)
            {
                break;
            }

            batch *= 4;
        }

        var rounds = new double[5];
        for (var r = 0; r < rounds.Length; r++)
        {
            process.Refresh();
            var start = process.TotalProcessorTime;
            RunBatch(evaluate, batch * 10);
            process.Refresh();
            rounds[r] = (process.TotalProcessorTime - start).TotalNanoseconds / (batch * 10.0);
        }

        Array.Sort(rounds);
        return rounds[2];
    }

    private static void RunBatch(Func<bool> evaluate, int count)
    {
        for (var i = 0; i < count; i++)
        {
            evaluate();
        }
    }
}
