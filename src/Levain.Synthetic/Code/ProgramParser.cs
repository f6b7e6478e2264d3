using System.Globalization;
using Levain.Synthetic.Code.Syntax;

namespace Levain.Synthetic.Code;

/// <summary>
/// Reads the Python subset <see cref="ProgramPrinter"/> writes (so <c>Parse(Print(p))</c> gives back <c>p</c>):
/// assignments, <c>.append</c>, <c>print</c>, <c>if/else</c>, <c>for … in range(…)</c>, <c>pass</c>, integer
/// arithmetic with <c>+ - * // %</c> and parentheses, <c>len(xs)</c>, <c>xs[i]</c>, list displays, negative
/// integer literals, <c>??</c> holes and <c>#</c> comment lines. Blocks are delimited by indentation.
/// </summary>
public static class ProgramParser
{
    public static ParseResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = new List<(int Number, int Indent, string Content)>();
        var rawLines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < rawLines.Length; i++)
        {
            var raw = rawLines[i];
            var content = raw.Trim();
            if (content.Length == 0 || content.StartsWith('#'))
            {
                continue;
            }

            if (raw.Contains('\t', StringComparison.Ordinal))
            {
                return ParseResult.Failure(i + 1, "tabs are not allowed; indent with spaces");
            }

            lines.Add((i + 1, raw.Length - raw.TrimStart(' ').Length, content));
        }

        try
        {
            var position = 0;
            var body = ParseBlock(lines, ref position, indent: 0);
            if (position < lines.Count)
            {
                return ParseResult.Failure(lines[position].Number, "unexpected indentation");
            }

            return new ParseResult(new CodeProgram(body), 0, null);
        }
        catch (SyntaxException error)
        {
            return ParseResult.Failure(error.Line, error.Message);
        }
    }

    private sealed class SyntaxException(int line, string message) : Exception(message)
    {
        public int Line { get; } = line;
    }

    private static List<Statement> ParseBlock(List<(int Number, int Indent, string Content)> lines, ref int position, int indent)
    {
        var block = new List<Statement>();
        while (position < lines.Count && lines[position].Indent == indent)
        {
            var (number, _, content) = lines[position++];
            if (content == "pass")
            {
                continue;
            }

            if (content.StartsWith("if ", StringComparison.Ordinal) && content.EndsWith(':'))
            {
                var condition = ParseCondition(number, content[3..^1]);
                var then = ParseNested(lines, ref position, indent, number);
                IReadOnlyList<Statement> otherwise = [];
                if (position < lines.Count && lines[position].Indent == indent && lines[position].Content == "else:")
                {
                    position++;
                    otherwise = ParseNested(lines, ref position, indent, lines[position - 1].Number);
                }

                block.Add(new IfStatement(condition, then, otherwise));
                continue;
            }

            if (content.StartsWith("for ", StringComparison.Ordinal) && content.EndsWith("):", StringComparison.Ordinal))
            {
                var inAt = content.IndexOf(" in range(", StringComparison.Ordinal);
                if (inAt < 0)
                {
                    throw new SyntaxException(number, "expected 'for NAME in range(COUNT):'");
                }

                var variable = ExpectName(number, content[4..inAt].Trim());
                var count = ParseExpression(number, content[(inAt + " in range(".Length)..^2]);
                block.Add(new ForStatement(variable, count, ParseNested(lines, ref position, indent, number)));
                continue;
            }

            block.Add(ParseSimple(number, content));
        }

        return block;
    }

    private static List<Statement> ParseNested(
        List<(int Number, int Indent, string Content)> lines, ref int position, int indent, int headerLine)
    {
        if (position >= lines.Count || lines[position].Indent <= indent)
        {
            throw new SyntaxException(headerLine, "expected an indented block");
        }

        return ParseBlock(lines, ref position, lines[position].Indent);
    }

    private static Statement ParseSimple(int line, string content)
    {
        if (content.StartsWith("print(", StringComparison.Ordinal) && content.EndsWith(')'))
        {
            return new PrintStatement(ParseExpression(line, content[6..^1]));
        }

        var appendAt = content.IndexOf(".append(", StringComparison.Ordinal);
        if (appendAt > 0 && content.EndsWith(')'))
        {
            return new AppendStatement(ExpectName(line, content[..appendAt]), ParseExpression(line, content[(appendAt + 8)..^1]));
        }

        var equalsAt = content.IndexOf(" = ", StringComparison.Ordinal);
        if (equalsAt > 0)
        {
            return new AssignStatement(ExpectName(line, content[..equalsAt].Trim()), ParseExpression(line, content[(equalsAt + 3)..]));
        }

        throw new SyntaxException(line, $"cannot read statement '{content}'");
    }

    private static Condition ParseCondition(int line, string text)
    {
        var tokens = ExpressionReader.Tokenize(line, text);
        string[] comparisons = ["<=", ">=", "==", "!=", "<", ">"];
        var at = tokens.FindIndex(t => comparisons.Contains(t));
        if (at < 0)
        {
            throw new SyntaxException(line, "expected a comparison (< <= > >= == !=)");
        }

        var op = tokens[at] switch
        {
            "<" => ComparisonOperator.Less,
            "<=" => ComparisonOperator.LessOrEqual,
            ">" => ComparisonOperator.Greater,
            ">=" => ComparisonOperator.GreaterOrEqual,
            "==" => ComparisonOperator.Equal,
            _ => ComparisonOperator.NotEqual,
        };
        return new Condition(op, new ExpressionReader(line, tokens[..at]).ReadAll(), new ExpressionReader(line, tokens[(at + 1)..]).ReadAll());
    }

    private static Expr ParseExpression(int line, string text) =>
        new ExpressionReader(line, ExpressionReader.Tokenize(line, text)).ReadAll();

    private static string ExpectName(int line, string text) =>
        text.Length > 0 && (char.IsAsciiLetter(text[0]) || text[0] == '_') && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? text
            : throw new SyntaxException(line, $"'{text}' is not a variable name");

    private sealed class ExpressionReader(int line, List<string> tokens)
    {
        private int _next;

        public static List<string> Tokenize(int line, string text)
        {
            var tokens = new List<string>();
            for (var i = 0; i < text.Length;)
            {
                var c = text[i];
                if (c == ' ')
                {
                    i++;
                }
                else if (char.IsAsciiDigit(c) || char.IsAsciiLetter(c) || c == '_')
                {
                    var start = i;
                    while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                    {
                        i++;
                    }

                    tokens.Add(text[start..i]);
                }
                else if (i + 1 < text.Length && text.Substring(i, 2) is "//" or "<=" or ">=" or "==" or "!=" or "??")
                {
                    tokens.Add(text.Substring(i, 2));
                    i += 2;
                }
                else if ("+-*%()[],<>".Contains(c, StringComparison.Ordinal))
                {
                    tokens.Add(c.ToString());
                    i++;
                }
                else
                {
                    throw new SyntaxException(line, $"unexpected character '{c}'");
                }
            }

            return tokens;
        }

        public Expr ReadAll()
        {
            var expr = Sum();
            return _next == tokens.Count ? expr : throw new SyntaxException(line, $"unexpected '{tokens[_next]}'");
        }

        private Expr Sum()
        {
            var left = Product();
            while (Peek() is "+" or "-")
            {
                var op = Take() == "+" ? BinaryOperator.Add : BinaryOperator.Subtract;
                left = new BinaryExpr(op, left, Product());
            }

            return left;
        }

        private Expr Product()
        {
            var left = Atom();
            while (Peek() is "*" or "//" or "%")
            {
                var op = Take() switch
                {
                    "*" => BinaryOperator.Multiply,
                    "//" => BinaryOperator.FloorDivide,
                    _ => BinaryOperator.Modulo,
                };
                left = new BinaryExpr(op, left, Atom());
            }

            return left;
        }

        private Expr Atom()
        {
            var token = Take();
            switch (token)
            {
                case "-" when Peek() is { } digits && char.IsAsciiDigit(digits[0]):
                    return new IntLiteral(-ParseInteger(Take()));
                case "??":
                    return new HoleExpr();
                case "(":
                    var inner = Sum();
                    Expect(")");
                    return inner;
                case "[":
                    var items = new List<Expr>();
                    while (Peek() != "]")
                    {
                        items.Add(Sum());
                        if (Peek() == ",")
                        {
                            Take();
                        }
                        else if (Peek() != "]")
                        {
                            throw new SyntaxException(line, "expected ',' or ']' in a list");
                        }
                    }

                    Take();
                    return new ListLiteral(items);
                case "len":
                    Expect("(");
                    var listName = Take();
                    Expect(")");
                    return new LenExpr(ExpectName(line, listName));
                case var _ when char.IsAsciiDigit(token[0]):
                    return new IntLiteral(ParseInteger(token));
                case var _ when char.IsAsciiLetter(token[0]) || token[0] == '_':
                    if (Peek() == "[")
                    {
                        Take();
                        var index = Sum();
                        Expect("]");
                        return new IndexExpr(token, index);
                    }

                    return new VariableRef(token);
                default:
                    throw new SyntaxException(line, $"unexpected '{token}'");
            }
        }

        private long ParseInteger(string digits) =>
            long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new SyntaxException(line, $"'{digits}' is not an integer");

        private string? Peek() => _next < tokens.Count ? tokens[_next] : null;

        private string Take() =>
            _next < tokens.Count ? tokens[_next++] : throw new SyntaxException(line, "unexpected end of expression");

        private void Expect(string token)
        {
            if (Take() != token)
            {
                throw new SyntaxException(line, $"expected '{token}'");
            }
        }
    }
}
