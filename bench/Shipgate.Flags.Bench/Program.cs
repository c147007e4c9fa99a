using BenchmarkDotNet.Running;

namespace Shipgate.Flags.Bench;

internal static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
