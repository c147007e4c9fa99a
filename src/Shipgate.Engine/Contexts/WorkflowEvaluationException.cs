namespace Shipgate.Engine.Contexts;

/// <summary>
/// A value of the workflow could not be evaluated at run time (an expression error, a wrong type).
/// Caught where a job or step ends, and turned into its failure with <see cref="Exception.Message"/>
/// (<c>file:line:col: message</c>) as the reason.
/// </summary>
internal sealed class WorkflowEvaluationException(string message) : Exception(message);
