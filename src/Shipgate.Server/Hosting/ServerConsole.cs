namespace Shipgate.Server.Hosting;

/// <summary>Where the server says what a person starting it must know (the admin token's file): stdout by default.</summary>
internal sealed class ServerConsole(TextWriter output)
{
    public ServerConsole()
        : this(Console.Out)
    {
    }

    public void WriteLine(string line)
    {
        lock (output)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
