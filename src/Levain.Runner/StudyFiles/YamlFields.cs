using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Levain.Runner.StudyFiles;

/// <summary>Typed, strict reads of YAML nodes; every problem becomes a <see cref="StudyFileException"/> at the node's line.</summary>
internal sealed class YamlFields(string filePath)
{
    public string FilePath { get; } = filePath;

    public StudyFileException Error(YamlNode? node, string field, string problem) =>
        new(FilePath, node is null ? 0 : (int)node.Start.Line, field, problem);

    public YamlMappingNode Mapping(YamlNode node, string field) =>
        node as YamlMappingNode ?? throw Error(node, field, $"expected a mapping (key: value lines), got {Describe(node)}");

    /// <summary>Rejects keys not in <paramref name="known"/>, suggesting the closest known key.</summary>
    public void CheckKeys(YamlMappingNode mapping, string field, IReadOnlyCollection<string> known)
    {
        foreach (var key in mapping.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (known.Contains(name)) continue;
            var path = field.Length == 0 ? name : $"{field}.{name}";
            var closest = known.OrderBy(k => Distance(k, name)).First();
            var hint = Distance(closest, name) <= 2 ? $" Did you mean '{closest}'?" : "";
            throw Error(key, path, $"unknown field '{name}'.{hint} Known fields: {string.Join(", ", known)}.");
        }
    }

    public static YamlNode? Get(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    public string String(YamlNode node, string field)
    {
        if (node is not YamlScalarNode scalar || scalar.Value is null || IsNull(scalar))
        {
            throw Error(node, field, $"expected a text value, got {Describe(node)}");
        }
        return scalar.Value;
    }

    public string NonEmptyString(YamlNode node, string field)
    {
        var value = String(node, field);
        if (string.IsNullOrWhiteSpace(value)) throw Error(node, field, "must not be empty");
        return value;
    }

    public double Number(YamlNode node, string field)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text }
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            if (!double.IsFinite(value)) throw Error(node, field, $"must be a finite number, got {text}");
            return value;
        }
        throw Error(node, field, $"expected a number, got {Describe(node)}");
    }

    public int Integer(YamlNode node, string field)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text }
            && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            if (value is < int.MinValue or > int.MaxValue) throw Error(node, field, $"{text} is out of range");
            return (int)value;
        }
        throw Error(node, field, $"expected a whole number, got {Describe(node)}");
    }

    public bool Boolean(YamlNode node, string field)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text })
        {
            if (text is "true" or "True" or "TRUE") return true;
            if (text is "false" or "False" or "FALSE") return false;
        }
        throw Error(node, field, $"expected true or false, got {Describe(node)}");
    }

    public TimeSpan Duration(YamlNode node, string field)
    {
        if (node is YamlScalarNode { Value: { } text } && !IsNull((YamlScalarNode)node) && DurationText.TryParse(text, out var duration))
        {
            if (duration <= TimeSpan.Zero) throw Error(node, field, "must be longer than zero");
            return duration;
        }
        throw Error(node, field, $"expected a duration such as 30s, 10m, 2h, 1h30m or 02:00:00, got {Describe(node)}");
    }

    public IReadOnlyList<string> StringList(YamlNode node, string field)
    {
        if (node is not YamlSequenceNode sequence) throw Error(node, field, $"expected a list, got {Describe(node)}");
        var items = new List<string>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            items.Add(String(sequence.Children[i], $"{field}[{i}]"));
        }
        return items;
    }

    public T Enum<T>(YamlNode node, string field, IReadOnlyDictionary<string, T> choices)
    {
        var text = node is YamlScalarNode { Value: { } v } ? v : null;
        if (text is not null && choices.TryGetValue(text, out var value)) return value;
        throw Error(node, field, $"expected one of {string.Join(", ", choices.Keys)}, got {Describe(node)}");
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s when IsNull(s) => "nothing (null)",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "an unsupported value",
    };

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            }
        }
        return d[a.Length, b.Length];
    }
}
