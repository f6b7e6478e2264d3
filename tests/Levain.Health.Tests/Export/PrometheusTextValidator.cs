using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Levain.Health.Tests.Export;

/// <summary>
/// A strict reader for the Prometheus text exposition format 0.0.4: HELP/TYPE lines, metric and label name syntax,
/// label value escapes, float values, TYPE before samples, families contiguous, no duplicate series, counters ≥ 0.
/// Returns the problems found (empty = valid).
/// </summary>
internal static partial class PrometheusTextValidator
{
    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    private static readonly HashSet<string> Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    public static IReadOnlyList<string> Validate(string text)
    {
        var problems = new List<string>();
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            problems.Add("does not end with a newline");
        }
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var helps = new HashSet<string>(StringComparer.Ordinal);
        var finished = new HashSet<string>(StringComparer.Ordinal);
        var series = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }
            void Problem(string p) => problems.Add($"line {number}: {p}: {line}");
            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4);
                if (parts.Length >= 3 && parts[1] is "HELP" or "TYPE")
                {
                    var name = parts[2];
                    if (!MetricName().IsMatch(name))
                    {
                        Problem("bad metric name");
                    }
                    if (parts[1] == "TYPE")
                    {
                        if (parts.Length != 4 || !Types.Contains(parts[3]))
                        {
                            Problem("bad TYPE");
                        }
                        else if (!types.TryAdd(name, parts[3]))
                        {
                            Problem("second TYPE for the family");
                        }
                        if (series.Any(s => s.StartsWith(name + "{", StringComparison.Ordinal) || s == name))
                        {
                            Problem("TYPE after samples of the family");
                        }
                    }
                    else if (!helps.Add(name))
                    {
                        Problem("second HELP for the family");
                    }
                }
                continue;
            }

            var (metric, labels, rest, error) = ParseSample(line);
            if (error is not null)
            {
                Problem(error);
                continue;
            }
            if (!MetricName().IsMatch(metric))
            {
                Problem("bad metric name");
            }
            var family = types.ContainsKey(metric) ? metric
                : new[] { "_bucket", "_sum", "_count" }.Where(metric.EndsWith).Select(s => metric[..^s.Length]).FirstOrDefault(types.ContainsKey) ?? metric;
            if (family != current)
            {
                if (current is not null)
                {
                    finished.Add(current);
                }
                if (finished.Contains(family))
                {
                    Problem("family samples are not contiguous");
                }
                current = family;
            }
            var key = metric + "{" + string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}";
            if (!series.Add(key))
            {
                Problem("duplicate series");
            }
            var fields = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length is < 1 or > 2 || !TryValue(fields[0], out var value))
            {
                Problem("bad value");
                continue;
            }
            if (fields.Length == 2 && !long.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                Problem("bad timestamp");
            }
            if (types.TryGetValue(family, out var type) && type == "counter" && (value < 0 || double.IsNaN(value)))
            {
                Problem("negative counter");
            }
        }
        return problems;
    }

    private static (string Metric, Dictionary<string, string> Labels, string Tail, string? Error) ParseSample(string line)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ')
        {
            i++;
        }
        var metric = line[..i];
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (true)
            {
                if (i < line.Length && line[i] == '}')
                {
                    i++;
                    break;
                }
                var eq = line.IndexOf('=', i);
                if (eq < 0)
                {
                    return (metric, labels, "", "label without '='");
                }
                var name = line[i..eq];
                if (!LabelName().IsMatch(name) || name.StartsWith("__", StringComparison.Ordinal))
                {
                    return (metric, labels, "", $"bad label name '{name}'");
                }
                i = eq + 1;
                if (i >= line.Length || line[i] != '"')
                {
                    return (metric, labels, "", "label value not quoted");
                }
                i++;
                var value = new StringBuilder();
                while (true)
                {
                    if (i >= line.Length)
                    {
                        return (metric, labels, "", "unterminated label value");
                    }
                    var c = line[i++];
                    if (c == '"')
                    {
                        break;
                    }
                    if (c == '\\')
                    {
                        if (i >= line.Length || line[i] is not ('\\' or '"' or 'n'))
                        {
                            return (metric, labels, "", "bad escape in label value");
                        }
                        value.Append(line[i++] == 'n' ? '\n' : line[i - 1]);
                    }
                    else
                    {
                        value.Append(c);
                    }
                }
                if (!labels.TryAdd(name, value.ToString()))
                {
                    return (metric, labels, "", $"label '{name}' twice");
                }
                if (i < line.Length && line[i] == ',')
                {
                    i++;
                }
                else if (i >= line.Length || line[i] != '}')
                {
                    return (metric, labels, "", "expected ',' or '}' after a label");
                }
            }
        }
        if (i >= line.Length || line[i] != ' ')
        {
            return (metric, labels, "", "no value");
        }
        return (metric, labels, line[(i + 1)..], null);
    }

    private static bool TryValue(string s, out double value)
    {
        switch (s)
        {
            case "+Inf": value = double.PositiveInfinity; return true;
            case "-Inf": value = double.NegativeInfinity; return true;
            case "NaN": value = double.NaN; return true;
            default: return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}
