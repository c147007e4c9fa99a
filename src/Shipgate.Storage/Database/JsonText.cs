using System.Text;
using System.Text.Json;

namespace Shipgate.Storage.Database;

/// <summary>String lists and maps as JSON text, written and read without reflection (AOT-safe).</summary>
internal static class JsonText
{
    /// <summary>The JSON text <paramref name="write"/> writes.</summary>
    public static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static string FromList(IEnumerable<string> values) =>
        Write(writer =>
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        });

    public static IReadOnlyList<string> ToList(string json)
    {
        using var document = JsonDocument.Parse(json);
        var list = new List<string>(document.RootElement.GetArrayLength());
        foreach (var element in document.RootElement.EnumerateArray())
        {
            list.Add(element.GetString() ?? "");
        }

        return list;
    }

    public static string FromMap(IEnumerable<KeyValuePair<string, string>> values) =>
        Write(writer =>
        {
            writer.WriteStartObject();
            foreach (var (key, value) in values.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        });

    public static IReadOnlyDictionary<string, string> ToMap(string json)
    {
        using var document = JsonDocument.Parse(json);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            map[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() ?? "" : property.Value.GetRawText();
        }

        return map;
    }
}
