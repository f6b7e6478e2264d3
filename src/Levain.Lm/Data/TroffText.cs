using System.Text;
using System.Text.RegularExpressions;

namespace Levain.Lm.Data;

/// <summary>
/// Plain text from a man page's troff source: comments, definitions and layout requests are dropped, the arguments of
/// font and section macros (<c>.SH</c>, <c>.B</c>, <c>.BR</c>, <c>.IP</c>, …) are kept as text, and inline escapes become
/// their characters (<c>\-</c> '-', <c>\(em</c> '—', <c>\e</c> '\') or vanish (font and size changes, <c>\&amp;</c>).
/// Enough for training text; not a typesetter.
/// </summary>
public static partial class TroffText
{
    private static readonly HashSet<string> TextMacros = new(StringComparer.Ordinal)
    {
        "SH", "SS", "B", "I", "BI", "BR", "IB", "IR", "RB", "RI", "SM", "SB", "IP", "TP", "TQ", "UR", "MT", "OP", "Nm", "Nd", "Sh", "Ss", "Ar", "Fl", "Pa", "Xr", "Em",
    };

    private static readonly Dictionary<string, string> NamedCharacters = new(StringComparer.Ordinal)
    {
        ["em"] = "—", ["en"] = "–", ["aq"] = "'", ["dq"] = "\"", ["lq"] = "“", ["rq"] = "”", ["oq"] = "‘", ["cq"] = "’",
        ["co"] = "©", ["rg"] = "®", ["bu"] = "•", ["hy"] = "-", ["mi"] = "-", ["pl"] = "+", ["eq"] = "=", ["ga"] = "`",
        ["ha"] = "^", ["ti"] = "~", ["rs"] = "\\", ["sl"] = "/", ["Fo"] = "«", ["Fc"] = "»", ["<="] = "≤", [">="] = "≥",
        ["mu"] = "×", ["de"] = "°", ["tm"] = "™", ["lA"] = "⇐", ["rA"] = "⇒", ["->"] = "→", ["<-"] = "←", ["ba"] = "|",
    };

    public static string ToPlainText(string troff)
    {
        ArgumentNullException.ThrowIfNull(troff);
        var text = new StringBuilder(troff.Length);
        foreach (string rawLine in troff.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            if (line.StartsWith(".\\\"", StringComparison.Ordinal) || line.StartsWith("'\\\"", StringComparison.Ordinal) || line.StartsWith("\\\"", StringComparison.Ordinal))
            {
                continue;
            }
            if (line.Length > 0 && (line[0] == '.' || line[0] == '\''))
            {
                Match macro = MacroLine().Match(line);
                if (!macro.Success || !TextMacros.Contains(macro.Groups[1].Value))
                {
                    if (macro.Success && macro.Groups[1].Value is "PP" or "LP" or "P" or "sp" or "br")
                    {
                        text.Append('\n');
                    }
                    continue;
                }
                line = macro.Groups[2].Value.Replace("\"", "", StringComparison.Ordinal);
                if (line.Length == 0)
                {
                    continue;
                }
            }
            text.Append(Unescape(line)).Append('\n');
        }
        return BlankRuns().Replace(text.ToString(), "\n\n").Trim() + "\n";
    }

    private static string Unescape(string line)
    {
        var text = new StringBuilder(line.Length);
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c != '\\' || i + 1 >= line.Length)
            {
                text.Append(c);
                continue;
            }
            char next = line[++i];
            switch (next)
            {
                case 'f': // \fB, \f(CW, \f[B]
                    i = SkipName(line, i + 1);
                    break;
                case 's': // \s+2, \s0, \s-1
                    i++;
                    if (i < line.Length && line[i] is '+' or '-') i++;
                    while (i < line.Length && char.IsAsciiDigit(line[i])) i++;
                    i--;
                    break;
                case '(':
                    string name = i + 2 < line.Length ? line.Substring(i + 1, 2) : "";
                    text.Append(NamedCharacters.GetValueOrDefault(name, ""));
                    i += 2;
                    break;
                case '[':
                    int close = line.IndexOf(']', i);
                    string longName = close > 0 ? line[(i + 1)..close] : "";
                    text.Append(NamedCharacters.GetValueOrDefault(longName, ""));
                    i = close > 0 ? close : line.Length;
                    break;
                case '*': // string interpolation \*x, \*(xx, \*[name]: dropped
                case 'n': // number register
                    i = SkipName(line, i + 1);
                    break;
                case '-': text.Append('-'); break;
                case 'e': case '\\': text.Append('\\'); break;
                case ' ': case '~': case '0': text.Append(' '); break;
                case '&': case '|': case '^': case ',': case '/': case ')': case 'c': case ':': case '%': break;
                case '"': i = line.Length; break; // comment to end of line
                default: text.Append(next); break;
            }
        }
        return text.ToString();
    }

    /// <summary>Skips an escape's name starting at <paramref name="at"/> (x, (xx or [name]); returns the index of its last character.</summary>
    private static int SkipName(string line, int at)
    {
        if (at >= line.Length) return line.Length;
        if (line[at] == '(') return Math.Min(at + 2, line.Length);
        if (line[at] == '[')
        {
            int close = line.IndexOf(']', at);
            return close > 0 ? close : line.Length;
        }
        return at;
    }

    [GeneratedRegex(@"^[.'']\s*([A-Za-z]{1,2})\b\s*(.*)$")]
    private static partial Regex MacroLine();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex BlankRuns();
}
