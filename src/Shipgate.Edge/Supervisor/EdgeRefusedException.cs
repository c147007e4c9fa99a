namespace Shipgate.Edge.Supervisor;

/// <summary>A change the supervisor refused, nothing changed: the admin API answers <see cref="StatusCode"/> with the one-sentence message.</summary>
internal sealed class EdgeRefusedException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public static EdgeRefusedException BadInput(string message) => new(400, message);

    public static EdgeRefusedException NotFound(string message) => new(404, message);

    public static EdgeRefusedException Conflict(string message) => new(409, message);
}
