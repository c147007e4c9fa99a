using System.Text.Json;

namespace Shipgate.Core.Tests.Expressions;

/// <summary>GitHub's expression test vectors (Expressions/Conformance), each case under an id "file/group/n".</summary>
internal static class ConformanceVectors
{
    private static readonly Lazy<IReadOnlyDictionary<string, (JsonElement Case, string Display)>> All = new(Load);

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Expressions", "Conformance");

    public static IEnumerable<(string Id, string Display)> Ids => All.Value.Select(pair => (pair.Key, pair.Value.Display));

    public static JsonElement Get(string id) => All.Value[id].Case;

    private static Dictionary<string, (JsonElement, string)> Load()
    {
        var cases = new Dictionary<string, (JsonElement, string)>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var group in document.RootElement.EnumerateObject())
            {
                var n = 0;
                foreach (var item in group.Value.EnumerateArray())
                {
                    var id = $"{name}/{group.Name}/{n++}";
                    var expr = item.GetProperty("expr").GetString();
                    cases.Add(id, (item.Clone(), $"{id}: {expr}"));
                }
            }
        }

        return cases;
    }
}
