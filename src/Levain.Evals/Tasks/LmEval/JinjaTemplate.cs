using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Levain.Evals.Tasks.LmEval;

/// <summary>
/// The subset of Jinja that lm-eval task files use in <c>doc_to_text</c>, <c>doc_to_target</c> and
/// <c>doc_to_choice</c>: text with <c>{{ expression }}</c> holes. An expression is a field path
/// (<c>question</c>, <c>choices.text</c>, <c>choices['label']</c>, <c>endings[0]</c>), a string or integer literal,
/// a list literal <c>["A", "B"]</c>, the methods <c>.index(x)</c>, <c>.strip()</c>, <c>.lower()</c>, <c>.upper()</c>,
/// <c>.split(sep)</c>, the filters <c>| trim</c>, <c>| lower</c>, <c>| upper</c>, <c>| length</c>, <c>| string</c>,
/// <c>| int</c>, <c>| join(sep)</c>, and <c>+</c> (string concatenation or integer addition). Statements
/// (<c>{% … %}</c>) are not supported and are reported by name. A template that is one hole evaluates to the hole's
/// value (a list for <c>doc_to_choice</c>, an integer for <c>doc_to_target</c>), as lm-eval's <c>literal_eval</c> of
/// the rendered text would.
/// </summary>
public sealed class JinjaTemplate
{
    private readonly List<(string? Text, string? Expression)> _parts = [];

    public JinjaTemplate(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Source = source;
        var at = 0;
        while (at < source.Length)
        {
            var open = source.IndexOf("{{", at, StringComparison.Ordinal);
            var statement = source.IndexOf("{%", at, StringComparison.Ordinal);
            if (statement >= 0 && (open < 0 || statement < open))
            {
                var end = source.IndexOf("%}", statement, StringComparison.Ordinal);
                var name = (end < 0 ? source[(statement + 2)..] : source[(statement + 2)..end]).Trim().Split(' ')[0];
                throw new FormatException($"the Jinja statement '{{% {name} %}}' is not supported (only {{{{ expressions }}}})");
            }
            if (open < 0)
            {
                _parts.Add((source[at..], null));
                break;
            }
            if (open > at)
            {
                _parts.Add((source[at..open], null));
            }
            var close = source.IndexOf("}}", open, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException("'{{' without a closing '}}'");
            }
            _parts.Add((null, source[(open + 2)..close]));
            at = close + 2;
        }
    }

    public string Source { get; }

    /// <summary>Whether the template contains a hole at all (a plain string is a field name or a literal).</summary>
    public bool HasExpressions => _parts.Any(p => p.Expression is not null);

    public bool IsSingleExpression => _parts.Count == 1 && _parts[0].Expression is not null;

    public string Render(JsonNode? document) => string.Concat(_parts.Select(p => p.Text ?? ToText(Evaluate(p.Expression!, document))));

    /// <summary>The value of a one-hole template, else the rendered text.</summary>
    public object? Evaluate(JsonNode? document) => IsSingleExpression ? Evaluate(_parts[0].Expression!, document) : Render(document);

    public static object? Evaluate(string expression, JsonNode? document) => new Parser(expression, document).ParseAll();

    /// <summary>How Jinja prints a value: strings as-is, numbers invariant, lists in Python's repr.</summary>
    public static string ToText(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "True" : "False",
        long or int => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        List<object?> list => "[" + string.Join(", ", list.Select(v => v is string s ? "'" + s.Replace("'", "\\'", StringComparison.Ordinal) + "'" : ToText(v))) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>Turns a JSON value into the template's values: string, long, double, bool, List, JsonObject, null.</summary>
    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonArray array => array.Select(FromJson).ToList(),
        JsonObject obj => obj,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => value.GetValue<bool>(),
        JsonValue value when value.TryGetValue<long>(out var l) => l,
        JsonValue value when value.TryGetValue<double>(out var d) => d,
        JsonValue value => value.ToString(),
        _ => node.ToJsonString(),
    };

    private sealed class Parser(string text, JsonNode? document)
    {
        private int _at;

        public object? ParseAll()
        {
            var value = ParseSum();
            Skip();
            return _at == text.Length ? value : throw Error($"unexpected '{text[_at..]}'");
        }

        private object? ParseSum()
        {
            var value = ParseFiltered();
            while (TryEat("+"))
            {
                var right = ParseFiltered();
                value = (value, right) switch
                {
                    (long a, long b) => a + b,
                    (List<object?> a, List<object?> b) => (object)a.Concat(b).ToList(),
                    _ => ToText(value) + ToText(right),
                };
            }
            return value;
        }

        private object? ParseFiltered()
        {
            var value = ParsePostfix();
            while (TryEat("|"))
            {
                var name = Identifier();
                var args = TryEat("(") ? Arguments() : [];
                value = name switch
                {
                    "trim" => ToText(value).Trim(),
                    "lower" => ToText(value).ToLowerInvariant(),
                    "upper" => ToText(value).ToUpperInvariant(),
                    "string" => ToText(value),
                    "int" => long.TryParse(ToText(value), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0L,
                    "length" => value is List<object?> list ? list.Count : (long)ToText(value).Length,
                    "join" => string.Join(args.Count > 0 ? ToText(args[0]) : "", AsList(value, "join").Select(ToText)),
                    _ => throw Error($"the filter '{name}' is not supported"),
                };
            }
            return value;
        }

        private object? ParsePostfix()
        {
            var value = ParsePrimary();
            while (true)
            {
                if (TryEat("."))
                {
                    var name = Identifier();
                    if (TryEat("("))
                    {
                        value = CallMethod(value, name, Arguments());
                    }
                    else
                    {
                        value = Member(value, name);
                    }
                }
                else if (TryEat("["))
                {
                    var key = ParseSum();
                    Expect("]");
                    value = key is string s ? Member(value, s) : Index(value, key);
                }
                else
                {
                    return value;
                }
            }
        }

        private object? ParsePrimary()
        {
            Skip();
            if (_at >= text.Length)
            {
                throw Error("an expression is missing");
            }
            var c = text[_at];
            if (c is '"' or '\'')
            {
                return StringLiteral(c);
            }
            if (char.IsAsciiDigit(c) || (c == '-' && _at + 1 < text.Length && char.IsAsciiDigit(text[_at + 1])))
            {
                var start = _at++;
                while (_at < text.Length && char.IsAsciiDigit(text[_at]))
                {
                    _at++;
                }
                return long.Parse(text[start.._at], CultureInfo.InvariantCulture);
            }
            if (TryEat("["))
            {
                var items = new List<object?>();
                if (!TryEat("]"))
                {
                    do
                    {
                        items.Add(ParseSum());
                    }
                    while (TryEat(","));
                    Expect("]");
                }
                return items;
            }
            if (TryEat("("))
            {
                var inner = ParseSum();
                Expect(")");
                return inner;
            }
            var name = Identifier();
            return name switch
            {
                "true" or "True" => true,
                "false" or "False" => false,
                "none" or "None" => null,
                _ => document is JsonObject doc && doc.TryGetPropertyValue(name, out var field)
                    ? FromJson(field)
                    : throw Error($"the document has no field '{name}'"),
            };
        }

        private object? CallMethod(object? target, string name, List<object?> args) => name switch
        {
            "index" => AsList(target, "index").FindIndex(v => Equals(ToText(v), ToText(args.FirstOrDefault()))) is var i and >= 0
                ? (long)i
                : throw Error($"{ToText(args.FirstOrDefault())} is not in the list"),
            "strip" => ToText(target).Trim(),
            "lstrip" => ToText(target).TrimStart(),
            "rstrip" => ToText(target).TrimEnd(),
            "lower" => ToText(target).ToLowerInvariant(),
            "upper" => ToText(target).ToUpperInvariant(),
            "split" => args.Count == 0
                ? ToText(target).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Cast<object?>().ToList()
                : ToText(target).Split(ToText(args[0])).Cast<object?>().ToList(),
            "replace" when args.Count == 2 => ToText(target).Replace(ToText(args[0]), ToText(args[1]), StringComparison.Ordinal),
            _ => throw Error($"the method '{name}' is not supported"),
        };

        private object? Member(object? target, string name) => target is JsonObject obj
            ? obj.TryGetPropertyValue(name, out var value) ? FromJson(value) : throw Error($"no field '{name}'")
            : throw Error($"'{name}' of a value that is not an object");

        private object? Index(object? target, object? key)
        {
            var list = AsList(target, "[]");
            var index = key is long l ? (int)l : throw Error("a list index must be an integer");
            if (index < 0)
            {
                index += list.Count;
            }
            return index >= 0 && index < list.Count ? list[index] : throw Error($"index {key} is out of range for {list.Count} entries");
        }

        private List<object?> AsList(object? value, string what) =>
            value as List<object?> ?? throw Error($"'{what}' needs a list");

        private List<object?> Arguments()
        {
            var args = new List<object?>();
            if (TryEat(")"))
            {
                return args;
            }
            do
            {
                args.Add(ParseSum());
            }
            while (TryEat(","));
            Expect(")");
            return args;
        }

        private string StringLiteral(char quote)
        {
            var builder = new StringBuilder();
            _at++;
            while (_at < text.Length && text[_at] != quote)
            {
                if (text[_at] == '\\' && _at + 1 < text.Length)
                {
                    _at++;
                    builder.Append(text[_at] switch { 'n' => '\n', 't' => '\t', var other => other });
                }
                else
                {
                    builder.Append(text[_at]);
                }
                _at++;
            }
            if (_at >= text.Length)
            {
                throw Error("a string literal is not closed");
            }
            _at++;
            return builder.ToString();
        }

        private string Identifier()
        {
            Skip();
            var start = _at;
            while (_at < text.Length && (char.IsLetterOrDigit(text[_at]) || text[_at] == '_'))
            {
                _at++;
            }
            return _at > start ? text[start.._at] : throw Error($"a name was expected at '{text[start..]}'");
        }

        private bool TryEat(string token)
        {
            Skip();
            if (string.CompareOrdinal(text, _at, token, 0, token.Length) == 0)
            {
                _at += token.Length;
                return true;
            }
            return false;
        }

        private void Expect(string token)
        {
            if (!TryEat(token))
            {
                throw Error($"'{token}' was expected");
            }
        }

        private void Skip()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }
        }

        private FormatException Error(string problem) => new($"in '{{{{{text}}}}}': {problem}");
    }
}
