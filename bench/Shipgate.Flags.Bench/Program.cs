using BenchmarkDotNet.Running;

namespace Shipgate.Flags.Bench;

internal static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["cpu", .. var rest])
        {
            return CpuTime.Run(rest);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
