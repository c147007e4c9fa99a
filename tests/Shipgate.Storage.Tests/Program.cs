using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Storage.Tests;

/// <summary>
/// xunit's entry point, with one addition: started as the durability test's writer
/// (<see cref="CrashWriter"/>), the executable writes to a store until it is killed instead of running tests.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (CrashWriter.IsRequested)
        {
            return CrashWriter.Run();
        }

        return args.Any(arg => arg is "--server" or "--internal-msbuild-node")
            ? Xunit.MicrosoftTestingPlatform.TestPlatformTestFramework.RunAsync(args, SelfRegisteredExtensions.AddSelfRegisteredExtensions).GetAwaiter().GetResult()
            : Xunit.Runner.InProc.SystemConsole.ConsoleRunner.Run(args).GetAwaiter().GetResult();
    }
}
