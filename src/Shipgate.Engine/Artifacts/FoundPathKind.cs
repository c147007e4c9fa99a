namespace Shipgate.Engine.Artifacts;

internal enum FoundPathKind
{
    File,
    Directory,
    SymbolicLink,
}
