namespace Shipgate.Engine.Steps;

/// <summary>Replaces secret values with <c>***</c>. Stands in until Masking/SecretMasker is wired in.</summary>
internal sealed class SecretMaskerStandIn
{
    private readonly Lock _lock = new();
    private string[] _values = [];

    public void Add(string value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        lock (_lock)
        {
            var values = new HashSet<string>(_values, StringComparer.Ordinal) { value };
            foreach (var line in value.Split('\n'))
            {
                if (line.TrimEnd('\r').Length > 0)
                {
                    values.Add(line.TrimEnd('\r'));
                }
            }

            _values = [.. values.OrderByDescending(v => v.Length)];
        }
    }

    public string Mask(string text)
    {
        foreach (var value in _values)
        {
            if (text.Contains(value, StringComparison.Ordinal))
            {
                text = text.Replace(value, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }
}
