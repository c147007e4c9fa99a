namespace Shipgate.Engine.Commands;

/// <summary>The kind of an annotation (GitHub's <c>::error</c>, <c>::warning</c>, <c>::notice</c>).</summary>
public enum AnnotationLevel
{
    Error,
    Warning,
    Notice,
}
