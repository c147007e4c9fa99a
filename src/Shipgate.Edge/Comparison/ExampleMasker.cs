using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Shipgate.Engine.Masking;

namespace Shipgate.Edge.Comparison;

/// <summary>
/// Masks what a mismatch example keeps, before it is kept: the query's values, JSON properties whose names look
/// secret, and every occurrence of the service's releases' variable values (the edge cannot tell the environment's
/// secrets from its variables, so it masks every value of <see cref="MinimumValueLength"/> characters or more, and
/// any value of a variable whose name looks secret), in the encodings <see cref="SecretMasker"/> knows. Bodies are
/// then cut at <see cref="MaxBodyChars"/> characters.
/// </summary>
internal sealed partial class ExampleMasker
{
    /// <summary>Bodies in examples are cut at this many characters (2 KiB), with <c>…</c> marking the cut.</summary>
    public const int MaxBodyChars = 2048;

    /// <summary>
    /// Shorter values of variables whose names do not look secret are left alone: <c>true</c>, <c>8080</c> or
    /// <c>info</c> are settings, and masking them would blank most of a body.
    /// </summary>
    public const int MinimumValueLength = 8;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly SecretMasker _secrets = new();

    public ExampleMasker(IEnumerable<KeyValuePair<string, string>> variables)
    {
        foreach (var (name, value) in variables)
        {
            if (value.Length >= MinimumValueLength || SecretName().IsMatch(name))
            {
                _secrets.AddSecret(value);
            }
        }
    }

    /// <summary>The path and query with every query value replaced by <c>***</c> (<c>/orders?id=***&amp;page=***</c>).</summary>
    public string PathAndQuery(string path, string query)
    {
        if (query.Length > 1)
        {
            var parameters = query[1..].Split('&');
            for (var i = 0; i < parameters.Length; i++)
            {
                var equals = parameters[i].IndexOf('=');
                parameters[i] = equals < 0 ? parameters[i] : parameters[i][..(equals + 1)] + SecretMasker.Replacement;
            }

            path += "?" + string.Join('&', parameters);
        }

        return _secrets.Mask(path);
    }

    /// <summary><paramref name="text"/> with the releases' values masked.</summary>
    public string Mask(string text) => _secrets.Mask(text);

    /// <summary>A decoded body as text for people: a JSON body rewritten with secret-named properties masked, then cut.</summary>
    public string Body(byte[] body)
    {
        string text;
        try
        {
            using var document = JsonDocument.Parse(body);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                WriteMasked(writer, document.RootElement);
            }

            text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (JsonException)
        {
            text = Encoding.UTF8.GetString(body);
        }

        // Masked whole before the cut, so a secret across the cut leaves no prefix behind.
        text = _secrets.Mask(text);
        return text.Length <= MaxBodyChars ? text : text[..MaxBodyChars] + "…";
    }

    private static void WriteMasked(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    if (SecretName().IsMatch(property.Name))
                    {
                        writer.WriteStringValue(SecretMasker.Replacement);
                    }
                    else
                    {
                        WriteMasked(writer, property.Value);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteMasked(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    /// <summary>Names that look secret, case-insensitive, anywhere in the name (<c>access_token</c>, <c>X-Api-Key</c>, <c>sessionId</c>).</summary>
    [GeneratedRegex("password|passwd|secret|token|api[-_]?key|authorization|cookie|session|credential", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
