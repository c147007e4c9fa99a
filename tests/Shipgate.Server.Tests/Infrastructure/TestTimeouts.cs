namespace Shipgate.Server.Tests.Infrastructure;

/// <summary>Every await in these tests is bounded, so a hang fails fast with a message instead of stalling the suite.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    /// <summary>The running test's cancellation token.</summary>
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Default);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Default);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> after the default timeout.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> condition, string what, TimeSpan? timeout = null)
        where T : class
    {
        using var deadline = new CancellationTokenSource(timeout ?? Default);
        while (true)
        {
            if (await condition().WaitAsync(Default) is { } value)
            {
                return value;
            }

            try
            {
                await Task.Delay(50, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }
        }
    }
}
