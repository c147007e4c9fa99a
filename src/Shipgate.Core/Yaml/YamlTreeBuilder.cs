using Shipgate.Core.Diagnostics;
using Shipgate.Core.Workflows;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Shipgate.Core.Yaml;

/// <summary>
/// Builds the token tree from YamlDotNet's parser events. Aliases share the anchored token (no
/// copy), and count as the size of what they stand for against <see cref="YamlLimits.MaxNodes"/>.
/// Mapping keys are unique ignoring case, as in GitHub's workflow reader.
/// </summary>
internal sealed class YamlTreeBuilder(string text, string file, YamlLimits limits)
{
    private readonly List<Diagnostic> _diagnostics = [];
    private readonly Dictionary<string, (TemplateToken Token, long Nodes)> _anchors = new(StringComparer.Ordinal);
    private long _nodes;

    public YamlLoadResult Build()
    {
        var scanner = new Scanner(new StringReader(text), skipComments: true);
        var parser = new Parser(scanner);
        TemplateToken? root = null;
        try
        {
            parser.Consume<StreamStart>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                parser.Consume<DocumentStart>();
                root = ReadNode(parser, depth: 0);
                parser.Consume<DocumentEnd>();
                if (parser.Accept<DocumentStart>(out var second))
                {
                    Error(second.Start, "the file holds more than one YAML document ('---'); a workflow is one document");
                }
            }
        }
        catch (LimitExceededException)
        {
            root = null;
        }
        catch (YamlException ex)
        {
            Error(ex.Start, YamlErrorMessages.FromYamlDotNet(ex.Message));
            root = null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            // YamlDotNet's scanner throws these, without a position, on some malformed input
            // (e.g. an unclosed flow sequence followed by a block mapping).
            Error(scanner.CurrentPosition, YamlErrorMessages.Unexpected);
            root = null;
        }

        if (root is ScalarToken { IsNull: true, Value: "" })
        {
            // A document with no content ("---" alone, or only comments).
            root = null;
        }

        return new YamlLoadResult { Root = root, Diagnostics = _diagnostics };
    }

    private TemplateToken ReadNode(IParser parser, int depth)
    {
        var current = parser.Current ?? throw new InvalidOperationException("The YAML parser ended inside a node.");
        switch (current)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                return ResolveAlias(alias);
            case Scalar scalar:
                parser.MoveNext();
                return Register(scalar.Anchor, ReadScalar(scalar), 1);
            case SequenceStart sequenceStart:
                return ReadSequence(parser, sequenceStart, depth + 1);
            case MappingStart mappingStart:
                return ReadMapping(parser, mappingStart, depth + 1);
            default:
                throw new YamlException(current.Start, current.End, "While parsing a node, did not find expected node content.");
        }
    }

    private ScalarToken ReadScalar(Scalar scalar)
    {
        CountNodes(1, scalar.Start);
        var location = Locate(scalar.Start);
        var isBlock = scalar.Style is ScalarStyle.Literal or ScalarStyle.Folded;
        var span = new ScalarSpan(text, (int)scalar.Start.Index, (int)Math.Min(scalar.End.Index, text.Length), location, isBlock);
        return new ScalarToken(scalar.Value, scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty, location) { Span = span };
    }

    private SequenceToken ReadSequence(IParser parser, SequenceStart start, int depth)
    {
        CheckDepth(depth, start.Start);
        var before = _nodes;
        CountNodes(1, start.Start);
        parser.MoveNext();
        var items = new List<TemplateToken>();
        while (!parser.TryConsume<SequenceEnd>(out _))
        {
            items.Add(ReadNode(parser, depth));
        }

        var token = new SequenceToken(items, Locate(start.Start));
        return Register(start.Anchor, token, _nodes - before);
    }

    private MappingToken ReadMapping(IParser parser, MappingStart start, int depth)
    {
        CheckDepth(depth, start.Start);
        var before = _nodes;
        CountNodes(1, start.Start);
        parser.MoveNext();
        var pairs = new List<KeyValuePair<ScalarToken, TemplateToken>>();
        var seen = new Dictionary<string, ScalarToken>(StringComparer.OrdinalIgnoreCase);
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = ReadNode(parser, depth);
            var value = ReadNode(parser, depth);
            if (key is not ScalarToken scalarKey)
            {
                Error(key.Location, $"a mapping key must be a string, not {key.KindName}");
                continue;
            }

            if (seen.TryGetValue(scalarKey.Value, out var first))
            {
                Error(scalarKey.Location, $"'{scalarKey.Value}' is already defined at line {first.Location.Line}");
                continue;
            }

            seen.Add(scalarKey.Value, scalarKey);
            pairs.Add(new KeyValuePair<ScalarToken, TemplateToken>(scalarKey, value));
        }

        var token = new MappingToken(pairs, Locate(start.Start));
        return Register(start.Anchor, token, _nodes - before);
    }

    private TemplateToken ResolveAlias(AnchorAlias alias)
    {
        if (_anchors.TryGetValue(alias.Value.Value, out var anchored))
        {
            CountNodes(anchored.Nodes, alias.Start);
            return anchored.Token;
        }

        Error(alias.Start, $"unknown anchor '{alias.Value.Value}'; an alias (*name) must follow its anchor (&name)");
        return new ScalarToken("", IsPlain: true, Locate(alias.Start));
    }

    private T Register<T>(AnchorName anchor, T token, long nodes)
        where T : TemplateToken
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = (token, nodes);
        }

        return token;
    }

    private void CheckDepth(int depth, Mark at)
    {
        if (depth > limits.MaxDepth)
        {
            Error(at, $"nesting is deeper than the limit of {limits.MaxDepth} levels");
            throw new LimitExceededException();
        }
    }

    private void CountNodes(long count, Mark at)
    {
        _nodes += count;
        if (_nodes > limits.MaxNodes)
        {
            Error(at, $"the document has more than {limits.MaxNodes:N0} values (counting what aliases stand for)");
            throw new LimitExceededException();
        }
    }

    private SourceLocation Locate(Mark mark) => new(file, (int)mark.Line, (int)mark.Column);

    private void Error(Mark at, string message) => _diagnostics.Add(Diagnostic.Error(Locate(at), message));

    private void Error(SourceLocation at, string message) => _diagnostics.Add(Diagnostic.Error(at, message));

    /// <summary>Unwinds the recursive reader once a limit is reported; never leaves this class.</summary>
    private sealed class LimitExceededException : Exception;
}
