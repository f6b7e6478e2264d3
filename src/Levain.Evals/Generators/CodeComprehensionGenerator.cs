using Levain.Evals.Items;
using Levain.Synthetic;
using Levain.Synthetic.Code;
using Levain.Synthetic.Code.Items;

namespace Levain.Evals.Generators;

/// <summary>
/// Code comprehension from <c>Levain.Synthetic</c>: <c>eval</c> items (what does this program print / what is x at
/// the end) and <c>cloze</c> items (which value in the hole produces this output), four choices each, gold computed
/// by the interpreter, distractors from mutated programs. Parameters: <c>difficulty</c> (easy | medium | hard),
/// <c>distractor_spread</c>. The default seed is the start of the held-out seed range, so items never come from
/// training seeds.
/// </summary>
public sealed class CodeComprehensionGenerator : IItemGenerator
{
    private readonly IReadOnlyList<CodeItemForm> _forms;

    public CodeComprehensionGenerator(string name, IReadOnlyList<CodeItemForm> forms, string description)
    {
        Name = name;
        _forms = forms;
        Description = description;
    }

    public string Name { get; }

    public string Version => CodeItemGenerator.Version;

    public string Description { get; }

    public int DefaultSeed => SeedRanges.HeldOut.Start;

    /// <summary>Every training document ends its answer with this terminator (<see cref="CodeTextFormat.AnswerTerminator"/>).</summary>
    public string TargetSuffix => CodeTextFormat.AnswerTerminator;

    public IReadOnlyList<EvalItem> Generate(int seed, int count, IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var reader = new GeneratorParameters(Name, parameters);
        var difficulty = reader.Text("difficulty", "easy");
        var program = GeneratorOptions.Preset(difficulty) ?? throw reader.Bad("difficulty", $"'{difficulty}' is not one of {string.Join(", ", GeneratorOptions.PresetNames)}");
        var options = new CodeItemOptions
        {
            Program = program,
            Forms = _forms,
            DistractorSpread = reader.Integer("distractor_spread", CodeItemOptions.Easy.DistractorSpread, 1),
        };
        reader.RejectUnknown();
        return CodeItemGenerator.Generate(options, seed, count).Select(ToItem).ToArray();
    }

    private static EvalItem ToItem(CodeItem item)
    {
        if (item.Choices.Distinct(StringComparer.Ordinal).Count() != item.Choices.Count)
        {
            throw new InvalidOperationException($"generator produced equal choices for {item.Id}");
        }
        return new EvalItem(
            item.Id,
            item.Context,
            item.Choices,
            GoldAnswer.Choice(item.Gold),
            ItemFormat.Cloze,
            QualityLabel.Unreviewed,
            Provenance.FromGenerator(item.Provenance),
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["form"] = item.FormName,
                ["program_hash"] = item.ProgramHash,
            });
    }
}
