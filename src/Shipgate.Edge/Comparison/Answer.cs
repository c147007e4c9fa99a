namespace Shipgate.Edge.Comparison;

/// <summary>
/// One side of a compared pair: the status (null: no answer, or none in time), the latency in microseconds (arrival
/// to response headers, or to the failure), the captured body when the route compares bodies, and its
/// <c>Content-Encoding</c>.
/// </summary>
internal sealed record Answer(int? Status, long Micros, BodyCapture? Body, string? ContentEncoding);
