using System.Text;
using Levain.Evals.Items;

namespace Levain.Evals.Tasks;

/// <summary>
/// Builds prompts from a manifest: renders the template, lists lettered choices, rotates options cyclically
/// (rotation r shows original choice (j + r) mod n at position j) and prepends few-shot examples drawn from the other
/// items with a seeded, per-item stable random choice.
/// </summary>
public sealed class PromptBuilder
{
    private readonly TaskManifest _manifest;
    private readonly IReadOnlyList<EvalItem> _pool;

    public PromptBuilder(TaskManifest manifest, IReadOnlyList<EvalItem> pool)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(pool);
        _manifest = manifest;
        _pool = pool;
    }

    public ItemFormat FormatOf(EvalItem item) => _manifest.Format ?? item.Format;

    /// <summary>How many rotations an item gets: the manifest's count for lettered items (at most one per choice), else 1.</summary>
    public int RotationsOf(EvalItem item) =>
        FormatOf(item) == ItemFormat.Lettered ? Math.Clamp(_manifest.Rotations, 1, item.Choices.Count) : 1;

    public PromptedItem Build(EvalItem item, int rotation)
    {
        ArgumentNullException.ThrowIfNull(item);
        var format = FormatOf(item);
        ArgumentOutOfRangeException.ThrowIfNegative(rotation);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rotation, RotationsOf(item));
        var n = item.Choices.Count;
        var order = Enumerable.Range(0, n).Select(j => (j + rotation) % n).ToArray();
        var shown = order.Select(i => item.Choices[i]).ToArray();
        var answers = format == ItemFormat.Lettered ? shown.Select((_, j) => Letter(j)).ToArray() : shown;
        var gold = item.Gold.Indices.Select(g => Array.IndexOf(order, g)).Order().ToArray();
        var context = WithFewShot(item, Render(item, format, shown));
        if (_manifest.Instruction is { } instruction && format != ItemFormat.Rolling)
        {
            context = instruction.Wrap(context);
        }
        return new PromptedItem(
            item,
            format,
            rotation,
            format == ItemFormat.Rolling ? item.Context : context,
            answers,
            answers.Select(a => _manifest.TargetDelimiter + a + _manifest.TargetSuffix).ToArray(),
            gold,
            order);
    }

    private string Render(EvalItem item, ItemFormat format, IReadOnlyList<string> shownChoices)
    {
        var template = _manifest.PromptTemplate ?? (format == ItemFormat.Lettered ? "{context}\n{choices}\nAnswer:" : "{context}");
        var choices = new StringBuilder();
        for (var j = 0; j < shownChoices.Count; j++)
        {
            if (j > 0)
            {
                choices.Append('\n');
            }
            choices.Append(Letter(j)).Append(". ").Append(shownChoices[j]);
        }
        return template
            .Replace("{context}", item.Context, StringComparison.Ordinal)
            .Replace("{question}", item.Context, StringComparison.Ordinal)
            .Replace("{choices}", choices.ToString(), StringComparison.Ordinal);
    }

    private string WithFewShot(EvalItem item, string prompt)
    {
        if (_manifest.FewShot == 0)
        {
            return prompt;
        }
        var candidates = _pool.Where(p => !string.Equals(p.Id, item.Id, StringComparison.Ordinal)).ToList();
        var random = new Random(_manifest.FewShotSeed ^ StableHash.Of(item.Id));
        var shots = new StringBuilder();
        var count = Math.Min(_manifest.FewShot, candidates.Count);
        for (var k = 0; k < count; k++)
        {
            var pick = random.Next(k, candidates.Count);
            (candidates[k], candidates[pick]) = (candidates[pick], candidates[k]);
            var example = candidates[k];
            var format = FormatOf(example);
            shots.Append(Render(example, format, example.Choices))
                .Append(_manifest.TargetDelimiter)
                .Append(GoldText(example, format))
                .Append(_manifest.TargetSuffix)
                .Append(_manifest.FewShotDelimiter);
        }
        return shots.Append(prompt).ToString();
    }

    private static string GoldText(EvalItem item, ItemFormat format) => format switch
    {
        ItemFormat.Lettered => Letter(item.Gold.Indices[0]),
        ItemFormat.Cloze => item.Choices[item.Gold.Indices[0]],
        _ => item.Gold.Texts[0],
    };

    /// <summary>A, B, …, Z, then AA, AB, … for very long option lists.</summary>
    public static string Letter(int position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        return position < 26 ? ((char)('A' + position)).ToString() : Letter((position / 26) - 1) + Letter(position % 26);
    }
}
