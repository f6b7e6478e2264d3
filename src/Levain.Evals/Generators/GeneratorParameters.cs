using Levain.Core;
using System.Globalization;

namespace Levain.Evals.Generators;

/// <summary>Reads a generator's text parameters, failing with a message that names the task and the parameter.</summary>
internal sealed class GeneratorParameters
{
    private readonly IReadOnlyDictionary<string, string> _values;
    private readonly string _generator;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public GeneratorParameters(string generator, IReadOnlyDictionary<string, string> values)
    {
        _generator = generator;
        _values = values;
    }

    public string Text(string name, string fallback)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out var value) ? value : fallback;
    }

    public int Integer(string name, int fallback, int minimum = int.MinValue)
    {
        var text = Text(name, fallback.ToString(CultureInfo.InvariantCulture));
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : throw Bad(name, $"'{text}' is not an integer ≥ {minimum}");
    }

    public IReadOnlyList<int> Integers(string name, IReadOnlyList<int> fallback, int minimum)
    {
        var text = Text(name, string.Join(',', fallback));
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = new List<int>();
        foreach (var part in parts)
        {
            values.Add(int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= minimum
                ? v
                : throw Bad(name, $"'{part}' is not an integer ≥ {minimum}"));
        }
        return values.Count > 0 ? values : throw Bad(name, "needs at least one value");
    }

    public InputException Bad(string name, string problem) => new($"generator '{_generator}'", 0, $"parameters.{name}", problem);

    /// <summary>Fails on any parameter that was never read (a typo must not silently change a benchmark).</summary>
    public void RejectUnknown()
    {
        var unknown = _values.Keys.FirstOrDefault(k => !_read.Contains(k));
        if (unknown is not null)
        {
            throw Bad(unknown, $"unknown parameter (known: {string.Join(", ", _read.Order(StringComparer.Ordinal))})");
        }
    }
}
