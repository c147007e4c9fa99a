namespace Shipgate.Delivery.Edge;

/// <summary>The edge could not be reached (not running, socket gone, connection refused).</summary>
public sealed class EdgeUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
