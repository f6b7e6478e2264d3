using System.Text.RegularExpressions;

namespace Levain.Health.Parsing.Dcgm;

/// <summary>
/// Parses the table <c>dcgmi diag -r 1|2</c> prints (DCGM 3.x): a header row "Diagnostic | Result", section rules
/// (<c>|-----  Deployment  --------+---...|</c>, <c>+-----  Integration  -------+---...+</c>), one row per test
/// (<c>| PCIe | Fail - All |</c>) and, under a test, "Warning"/"Info" rows whose text wraps over rows with an empty
/// first cell. Rows of a wrapped cell are joined back into one detail line (with a space; a word DCGM cut in two
/// stays cut). An "Error: ..." line instead of a table (host engine not running) is a failure to parse.
/// </summary>
public static partial class DcgmDiagParser
{
    [GeneratedRegex(@"^[|+]-+\s+(?<section>[A-Za-z][A-Za-z ]*?)\s+-+[+|]")]
    private static partial Regex SectionRule();

    [GeneratedRegex(@"^\|\s(?<name>.*?)\s*\|\s(?<value>.*?)\s*\|$")]
    private static partial Regex Row();

    [GeneratedRegex(@"^(?<result>Pass|Fail|Warn|Skip)(?:\s*-\s*(?<scope>.*))?$", RegexOptions.IgnoreCase)]
    private static partial Regex Result();

    public static Parsed<IReadOnlyList<DcgmDiagTest>> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tests = new List<DcgmDiagTest>();
        var section = "";
        var sawHeader = false;
        List<string>? details = null;
        string? label = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r').TrimEnd();
            if (line.Length == 0 || line.StartsWith("Successfully ran diagnostic", StringComparison.Ordinal) || Regex.IsMatch(line, @"^\+[-=+]+\+$"))
            {
                continue;
            }
            if (line.StartsWith("Error:", StringComparison.Ordinal) || line.StartsWith("Unable to", StringComparison.Ordinal))
            {
                return Parsed<IReadOnlyList<DcgmDiagTest>>.Failure(line);
            }
            var s = SectionRule().Match(line);
            if (s.Success)
            {
                section = s.Groups["section"].Value;
                continue;
            }
            var row = Row().Match(line);
            if (!row.Success)
            {
                return Parsed<IReadOnlyList<DcgmDiagTest>>.Failure($"unrecognised line: {line.Trim()}");
            }
            var name = row.Groups["name"].Value;
            var value = row.Groups["value"].Value;
            if (name == "Diagnostic" && value == "Result")
            {
                sawHeader = true;
                continue;
            }
            var result = Result().Match(value);
            if (name.Length > 0 && result.Success && name is not ("Warning" or "Info"))
            {
                details = [];
                label = null;
                tests.Add(new DcgmDiagTest(section, name, Capitalise(result.Groups["result"].Value), result.Groups["scope"].Value.Trim(), details));
                continue;
            }
            if (details is null)
            {
                return Parsed<IReadOnlyList<DcgmDiagTest>>.Failure($"detail before any test: {line.Trim()}");
            }
            if (name.Length > 0)
            {
                label = name; // "Warning" or "Info": a new detail starts
                details.Add($"{label}: {value}");
            }
            else if (details.Count > 0)
            {
                // A wrapped cell (DCGM cuts at the column width, sometimes mid-word): joined back with one space.
                details[^1] = details[^1] + " " + value.Trim();
            }
        }
        if (!sawHeader)
        {
            return Parsed<IReadOnlyList<DcgmDiagTest>>.Failure("no \"Diagnostic | Result\" table header");
        }
        return Parsed<IReadOnlyList<DcgmDiagTest>>.Success(tests);
    }

    private static string Capitalise(string word) => char.ToUpperInvariant(word[0]) + word[1..].ToLowerInvariant();
}
