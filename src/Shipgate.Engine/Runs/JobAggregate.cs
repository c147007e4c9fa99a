using Shipgate.Core.Expressions;

namespace Shipgate.Engine.Runs;

/// <summary>A job's result as its dependents see it (<c>needs.&lt;id&gt;.result</c> and <c>.outputs</c>), over all its legs.</summary>
internal sealed record JobAggregate(Conclusion Result, ObjectValue Outputs);
