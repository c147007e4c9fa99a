namespace Shipgate.Engine.Masking;

/// <summary>
/// What <see cref="SecretMasker"/> remembers between the pieces of a line cut at the length cap, so that a secret
/// straddling the cut is masked on both sides. Keep one per output stream (stdout, stderr) of a step.
/// </summary>
public sealed class MaskContinuation
{
    internal SecretPatternSet? Patterns { get; set; }

    internal int State { get; set; }

    internal void Reset()
    {
        Patterns = null;
        State = 0;
    }
}
