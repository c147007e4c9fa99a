namespace Shipgate.Engine.Tests.Actions;

/// <summary>Bounds every await of a test so a hang fails fast with a message.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(60);

    /// <summary>A download of a toolchain (tens of MB) gets longer.</summary>
    public static readonly TimeSpan Download = TimeSpan.FromMinutes(5);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Default);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Default);
}
