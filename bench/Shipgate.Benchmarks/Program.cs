using BenchmarkDotNet.Running;

namespace Shipgate.Benchmarks;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["seed", .. var rest])
        {
            return await StoreSeeder.RunAsync(rest);
        }

        if (args is ["edge-proxy", .. var proxyArgs])
        {
            return await EdgeProxyHost.RunAsync(proxyArgs);
        }

        if (args is ["board", .. var boardArgs])
        {
            return await BoardBenchmark.RunAsync(boardArgs);
        }

        if (args is ["canary-analysis", .. var analysisArgs])
        {
            return await CanaryAnalysisSimulation.RunAsync(analysisArgs);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
