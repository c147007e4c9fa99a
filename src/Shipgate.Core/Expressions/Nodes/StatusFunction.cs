namespace Shipgate.Core.Expressions.Nodes;

internal enum StatusFunction
{
    Success,
    Always,
    Failure,
    Cancelled,
}
