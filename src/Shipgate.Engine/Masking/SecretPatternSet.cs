using System.Buffers;

namespace Shipgate.Engine.Masking;

/// <summary>
/// An immutable set of strings to mask, searched in one pass: a vectorized <see cref="SearchValues{T}"/> skips the
/// text where no pattern starts (most lines: nothing is allocated), and an Aho-Corasick automaton, started where a
/// pattern may begin, finds every occurrence, overlapping ones included, in time linear in the text.
/// </summary>
internal sealed class SecretPatternSet
{
    public static readonly SecretPatternSet Empty = new([]);

    private readonly SearchValues<string>? _starts;
    private readonly Dictionary<long, int> _transitions = [];
    private readonly int[] _failure;
    private readonly int[] _depth;
    // The length of the longest pattern that ends at each state (itself or through its failure chain); 0 for none.
    private readonly int[] _longestMatch;

    public SecretPatternSet(IReadOnlyCollection<string> patterns)
    {
        Patterns = patterns;
        if (patterns.Count > 0)
        {
            _starts = SearchValues.Create([.. patterns], StringComparison.Ordinal);
        }

        var children = new List<List<(char Key, int Child)>> { new() };
        var terminal = new List<int> { 0 };
        var depth = new List<int> { 0 };
        foreach (var pattern in patterns)
        {
            var state = 0;
            foreach (var c in pattern)
            {
                if (!_transitions.TryGetValue(Key(state, c), out var next))
                {
                    next = children.Count;
                    children.Add([]);
                    terminal.Add(0);
                    depth.Add(depth[state] + 1);
                    _transitions[Key(state, c)] = next;
                    children[state].Add((c, next));
                }

                state = next;
            }

            terminal[state] = pattern.Length;
            MaxLength = Math.Max(MaxLength, pattern.Length);
        }

        _failure = new int[children.Count];
        _depth = [.. depth];
        _longestMatch = [.. terminal];
        var queue = new Queue<int>();
        foreach (var (_, child) in children[0])
        {
            queue.Enqueue(child);
        }

        while (queue.Count > 0)
        {
            var state = queue.Dequeue();
            foreach (var (c, child) in children[state])
            {
                var fallback = _failure[state];
                int target;
                while (!_transitions.TryGetValue(Key(fallback, c), out target) && fallback != 0)
                {
                    fallback = _failure[fallback];
                }

                _failure[child] = target != child ? target : 0;
                _longestMatch[child] = Math.Max(_longestMatch[child], _longestMatch[_failure[child]]);
                queue.Enqueue(child);
            }
        }
    }

    public IReadOnlyCollection<string> Patterns { get; }

    public int MaxLength { get; }

    /// <summary>
    /// Adds to <paramref name="ranges"/> the [start, end) ranges of <paramref name="text"/> covered by patterns,
    /// merged (overlapping or touching ranges become one), in order. Starts in automaton state
    /// <paramref name="state"/> (0, or the state a previous piece of the same line ended in, whose match may
    /// finish here: its range then starts at 0) and returns the state at the end of the text.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="state">The starting state.</param>
    /// <param name="exactEndState">True to compute the end state exactly (needed when the line goes on).</param>
    /// <param name="ranges">Receives the ranges; created on the first match, so a text without secrets allocates nothing.</param>
    public int Scan(ReadOnlySpan<char> text, int state, bool exactEndState, ref List<(int Start, int End)>? ranges)
    {
        if (_starts is null)
        {
            return 0;
        }

        var i = 0;
        while (i < text.Length)
        {
            if (state == 0)
            {
                // From the root no match can begin before the next place where a whole pattern starts.
                var next = text[i..].IndexOfAny(_starts);
                if (next < 0)
                {
                    if (!exactEndState)
                    {
                        return 0;
                    }

                    // No more matches, but the text may end with the head of a pattern: only the last
                    // MaxLength - 1 characters can hold it.
                    i = Math.Max(i, text.Length - MaxLength + 1);
                    for (; i < text.Length; i++)
                    {
                        state = Step(state, text[i]);
                    }

                    return state;
                }

                i += next;
            }

            state = Step(state, text[i]);
            var length = _longestMatch[state];
            if (length > 0)
            {
                Add(ref ranges, Math.Max(0, i + 1 - length), i + 1);
            }

            i++;
        }

        return state;
    }

    /// <summary>How many characters at the end of the text, in <paramref name="state"/>, are the head of a pattern.</summary>
    public int PendingLength(int state) => _depth[state];

    private int Step(int state, char c)
    {
        while (true)
        {
            if (_transitions.TryGetValue(Key(state, c), out var next))
            {
                return next;
            }

            if (state == 0)
            {
                return 0;
            }

            state = _failure[state];
        }
    }

    internal static void Add(ref List<(int Start, int End)>? ranges, int start, int end)
    {
        ranges ??= [];
        // Ranges arrive in order of their end; a new one may swallow several earlier ones.
        while (ranges.Count > 0 && ranges[^1].End >= start)
        {
            start = Math.Min(start, ranges[^1].Start);
            end = Math.Max(end, ranges[^1].End);
            ranges.RemoveAt(ranges.Count - 1);
        }

        ranges.Add((start, end));
    }

    private static long Key(int state, char c) => ((long)state << 16) | c;
}
