using System.Runtime.InteropServices;

namespace Shipgate.Engine.Processes;

/// <summary>
/// Waits for spawned children in waitpid(2), which also reaps them, on threads of its own that are kept for the next
/// child: one thread per child running at the same time, never more. Starting a thread per child cost its start-up
/// on every step: Thread.Start returns only once the new thread runs, and on a busy machine that took milliseconds.
/// </summary>
internal static class ProcessExitWaiter
{
    private const int StackSize = 256 * 1024;

    private static readonly object Sync = new();
    private static readonly Queue<(int Pid, TaskCompletionSource<int> Exited)> Work = new();
    private static int _idle;

    /// <summary>Completes with the exit status of child <paramref name="pid"/>, or 128 + the signal that killed it (-1 when another reaped it).</summary>
    public static Task<int> WaitAsync(int pid)
    {
        var exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var startThread = false;
        lock (Sync)
        {
            Work.Enqueue((pid, exited));
            if (_idle > 0)
            {
                // This idle thread is claimed: it (or a busy one that comes back first) takes the child.
                _idle--;
                Monitor.Pulse(Sync);
            }
            else
            {
                startThread = true;
            }
        }

        if (startThread)
        {
            new Thread(Loop, StackSize) { IsBackground = true, Name = "shipgate waitpid" }.UnsafeStart();
        }

        return exited.Task;
    }

    private static void Loop()
    {
        while (true)
        {
            (int Pid, TaskCompletionSource<int> Exited) child;
            lock (Sync)
            {
                while (!Work.TryDequeue(out child))
                {
                    _idle++;
                    Monitor.Wait(Sync);
                }
            }

            child.Exited.TrySetResult(WaitForExit(child.Pid));
        }
    }

    private static int WaitForExit(int pid)
    {
        while (true)
        {
            if (SpawnNativeMethods.WaitPid(pid, out var status, 0) == pid)
            {
                var signal = status & 0x7f;
                return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
            }

            if (Marshal.GetLastPInvokeError() != SpawnNativeMethods.Interrupted)
            {
                return -1;
            }
        }
    }
}
