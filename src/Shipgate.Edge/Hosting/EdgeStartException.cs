namespace Shipgate.Edge.Hosting;

/// <summary>The edge could not start (bad options, a taken port, an unwritable state directory); the message is one sentence.</summary>
public sealed class EdgeStartException(string message, Exception? innerException = null) : Exception(message, innerException);
