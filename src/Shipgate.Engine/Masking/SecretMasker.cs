using System.Text;

namespace Shipgate.Engine.Masking;

/// <summary>
/// Replaces every occurrence of a secret in a line with <c>***</c>. One masker serves a whole run (or job) and is
/// shared by every thread that prints: adding secrets while lines flow is safe, and masking takes no lock.
/// </summary>
/// <remarks>
/// <para>
/// What is masked, as in GitHub's runner: each secret value, any length (a one-character secret masks that
/// character everywhere, as on GitHub); each line of a multi-line secret; and the encoded forms of all of these
/// (base64, JSON string, URI and XML escaping, and the others of <see cref="SecretEncoders"/>). Overlapping and
/// touching occurrences become a single <c>***</c>.
/// </para>
/// <para>
/// Where we differ, on purpose: whitespace-only values are ignored (GitHub warns about them in
/// <c>::add-mask::</c>); lines of a multi-line secret and encoded forms shorter than
/// <see cref="MinimumDerivedLength"/> characters are not masked on their own (so a JSON key file's <c>{</c> lines do
/// not mask every brace of the log; they reveal at most 3 characters of the secret).
/// </para>
/// </remarks>
public sealed class SecretMasker
{
    /// <summary>The text a secret is replaced with.</summary>
    public const string Replacement = "***";

    /// <summary>Lines of multi-line secrets and encoded forms shorter than this are not masked on their own.</summary>
    public const int MinimumDerivedLength = 4;

    private readonly Lock _writeLock = new();
    private readonly HashSet<string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _patterns = new(StringComparer.Ordinal);
    private volatile SecretPatternSet _set = SecretPatternSet.Empty;

    /// <summary>How many distinct strings are masked (secrets, their lines and encodings).</summary>
    public int PatternCount => _set.Patterns.Count;

    /// <summary>Registers a secret (from <c>--secret</c>, a secret file or <c>::add-mask::</c>). Null, empty and whitespace-only values are ignored.</summary>
    public void AddSecret(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        lock (_writeLock)
        {
            if (!_values.Add(value))
            {
                return;
            }

            var added = AddPattern(value, derived: false);
            foreach (var encoded in SecretEncoders.Encode(value))
            {
                added |= AddPattern(encoded, derived: true);
            }

            if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                foreach (var line in value.Split(["\r\n", "\r", "\n"], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    added |= AddPattern(line, derived: true);
                    foreach (var encoded in SecretEncoders.Encode(line))
                    {
                        added |= AddPattern(encoded, derived: true);
                    }
                }
            }

            if (added)
            {
                _set = new SecretPatternSet([.. _patterns]);
            }
        }
    }

    /// <summary>
    /// Returns <paramref name="text"/> with every secret replaced by <see cref="Replacement"/>; the same string
    /// instance, without allocating, when it holds none.
    /// </summary>
    public string Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var set = _set;
        List<(int Start, int End)>? ranges = null;
        set.Scan(text, 0, exactEndState: false, ref ranges);
        return Replace(text, ranges);
    }

    /// <summary>
    /// Masks one piece of a line that was cut at the length cap (see <c>OutputLine.IsPartial</c>). When
    /// <paramref name="continues"/> is true, the end of <paramref name="text"/> that could be the beginning of a
    /// secret is masked too, and <paramref name="continuation"/> remembers it so that the rest of the secret is
    /// masked at the start of the next piece. Pass false for the last piece (or a whole line): the continuation is
    /// then reset.
    /// </summary>
    public string Mask(string text, MaskContinuation continuation, bool continues)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(continuation);
        var set = _set;
        // A secret added between two pieces starts a new automaton: the head of a match in the previous piece,
        // already masked there, is forgotten.
        var state = ReferenceEquals(continuation.Patterns, set) ? continuation.State : 0;
        List<(int Start, int End)>? ranges = null;
        state = set.Scan(text, state, exactEndState: continues, ref ranges);
        if (continues)
        {
            var pending = set.PendingLength(state);
            if (pending > 0)
            {
                SecretPatternSet.Add(ref ranges, text.Length - Math.Min(pending, text.Length), text.Length);
            }

            continuation.Patterns = set;
            continuation.State = state;
        }
        else
        {
            continuation.Reset();
        }

        return Replace(text, ranges);
    }

    private bool AddPattern(string pattern, bool derived)
    {
        if (pattern.Length == 0 || (derived && pattern.Length < MinimumDerivedLength))
        {
            return false;
        }

        return _patterns.Add(pattern);
    }

    private static string Replace(string text, List<(int Start, int End)>? ranges)
    {
        if (ranges is null)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var at = 0;
        foreach (var (start, end) in ranges)
        {
            builder.Append(text, at, start - at).Append(Replacement);
            at = end;
        }

        return builder.Append(text, at, text.Length - at).ToString();
    }
}
