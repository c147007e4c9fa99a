namespace Shipgate.Engine.Runs;

/// <summary>The kinds of annotation (<c>::notice</c>, <c>::warning</c>, <c>::error</c>).</summary>
public enum AnnotationLevel
{
    Notice,
    Warning,
    Error,
}
