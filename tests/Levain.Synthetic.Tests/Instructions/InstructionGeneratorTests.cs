using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Levain.Synthetic.Code;
using Levain.Synthetic.Instructions;
using Levain.Synthetic.Tests.Code;

namespace Levain.Synthetic.Tests.Instructions;

public sealed class InstructionGeneratorTests
{
    private static readonly InstructionOptions Options = new();

    private static IReadOnlyList<InstructionExample> Examples(int count) =>
        InstructionGenerator.Generate(Options, 5_000, count).ToList();

    [Fact]
    public void Generate_SameSeed_SameExample_AndPinnedHash()
    {
        var first = Examples(200);
        var second = Examples(200);
        Assert.Equal(first, second);
        // Pins the generated data: a change to the generator, the phrasings or the PRNG shows up here (bump Version).
        var text = string.Concat(first.Select(InstructionJsonl.Line));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
        Assert.Equal(PinnedHash, hash);
    }

    private const string PinnedHash = "f6640460ecdc1c33";

    [Fact]
    public void Generate_CoversEveryKind_AndVariesPhrasingAndPlacement()
    {
        var examples = Examples(400);
        foreach (var kind in Enum.GetValues<InstructionKind>())
        {
            var ofKind = examples.Where(e => e.Category == InstructionPhrasings.Category(kind)).ToList();
            Assert.True(ofKind.Count >= 40, $"{kind}: {ofKind.Count} examples");
            var phrasings = InstructionPhrasings.For(kind).Count(p => ofKind.Any(e => e.Instruction.StartsWith(p.Split('{')[0], StringComparison.Ordinal)));
            Assert.True(phrasings >= 3, $"{kind}: only {phrasings} phrasings used");
            Assert.Contains(ofKind, e => e.Context.Length == 0);
            Assert.Contains(ofKind, e => e.Context.Length > 0);
        }
        Assert.All(examples, e => Assert.False(string.IsNullOrWhiteSpace(e.Response)));
        Assert.All(examples.Where(e => e.Category == "unread_variable"), e => Assert.True(e.Choices >= 2));
    }

    [Fact]
    public void Answers_MatchPython()
    {
        PythonOracle.RequirePython();
        var examples = Examples(240);
        var checks = new List<(string Program, string Expected)>();
        foreach (var e in examples)
        {
            string program = ProgramOf(e);
            switch (e.Category)
            {
                case "print_output":
                    checks.Add((program, e.Response + "\n"));
                    break;
                case "value_after_line":
                {
                    int line = int.Parse(e.Instruction.Split("line ")[1].TakeWhile(char.IsDigit).ToArray());
                    string variable = VariableOf(e.Instruction);
                    string prefix = string.Join("\n", program.Split('\n').Take(line)) + "\n";
                    checks.Add(("import io, contextlib\nwith contextlib.redirect_stdout(io.StringIO()):\n    exec(" + JsonSerializer.Serialize(prefix) + ", g := {})\n" +
                        $"print(g['{variable}'])\n", e.Response + "\n"));
                    break;
                }
                case "unread_variable":
                    // Python's own parser: names stored but never loaded.
                    checks.Add(("import ast\n" +
                        $"t = ast.parse({JsonSerializer.Serialize(program)})\n" +
                        "stored = {n.id for n in ast.walk(t) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}\n" +
                        "loaded = {n.id for n in ast.walk(t) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}\n" +
                        "loops = {n.target.id for n in ast.walk(t) if isinstance(n, ast.For)}\n" +
                        "print(sorted(stored - loaded - loops))\n", $"['{e.Response}']\n"));
                    break;
                case "rewrite_double":
                    checks.Add(("import io, contextlib\n" +
                        "def run(p):\n    o = io.StringIO()\n    with contextlib.redirect_stdout(o):\n        exec(p, {})\n    return o.getvalue().split()\n" +
                        $"a = run({JsonSerializer.Serialize(program)})\nb = run({JsonSerializer.Serialize(e.Response)})\n" +
                        "print(all(int(y) == 2 * int(x) for x, y in zip(a, b)) and len(a) == len(b))\n", "True\n"));
                    break;
                default:
                    Assert.Fail($"unknown category {e.Category}");
                    break;
            }
        }
        var outputs = PythonOracle.RunAll(checks.Select(c => c.Program).ToList());
        for (int i = 0; i < checks.Count; i++)
        {
            Assert.True(checks[i].Expected == outputs[i], $"{examples[i].Category} #{i}: expected {checks[i].Expected.Trim()} got {outputs[i].Trim()}\n{ProgramOf(examples[i])}");
        }
    }

    [Fact]
    public void Jsonl_IsDollyShaped()
    {
        var line = InstructionJsonl.Line(Examples(1)[0]);
        using var doc = JsonDocument.Parse(line);
        foreach (var field in new[] { "instruction", "context", "response", "category", "group" })
        {
            Assert.Equal(JsonValueKind.String, doc.RootElement.GetProperty(field).ValueKind);
        }
        Assert.DoesNotContain('\n', line);
    }

    private static string ProgramOf(InstructionExample e) =>
        (e.Context.Length > 0 ? e.Context : e.Instruction[(e.Instruction.IndexOf("\n\n", StringComparison.Ordinal) + 2)..]) + "\n";

    private static string VariableOf(string instruction)
    {
        foreach (var marker in new[] { "value of ", "does ", "what is " })
        {
            int at = instruction.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                var rest = instruction[(at + marker.Length)..];
                var name = new string(rest.TakeWhile(char.IsLetter).ToArray());
                if (name.Length > 0 && name != "the")
                {
                    return name;
                }
            }
        }
        throw new InvalidOperationException($"no variable in '{instruction}'");
    }
}
