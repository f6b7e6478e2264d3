using Levain.Evals.Items;
using Levain.Evals.Metrics;

namespace Levain.Evals.Quality;

/// <summary>
/// Applies imported judgments to items. A judgment matches an item when the normalised question and the set of
/// normalised choices are equal. Among an item's judgments with confidence ≥ the minimum:
/// an explicit <c>status</c> wins (the most frequent one); otherwise, if most of them chose the same other choice,
/// the item is <c>mislabeled</c>; if most found no correct choice, <c>no_correct</c>; if most disagree with the gold
/// but not on one answer, <c>ambiguous</c>. Items that already carry a non-ok label keep it.
/// </summary>
public static class JudgmentLabeler
{
    public static JudgmentImport Apply(IReadOnlyList<EvalItem> items, IReadOnlyList<Judgment> judgments, string source, JudgmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(judgments);
        ArgumentNullException.ThrowIfNull(options);
        var byKey = judgments.GroupBy(j => KeyOf(j.Question, j.Choices), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        var matchedKeys = new HashSet<string>(StringComparer.Ordinal);
        var relabeled = 0;
        var result = new List<EvalItem>(items.Count);
        foreach (var item in items)
        {
            var key = KeyOf(item.Context, item.Choices);
            if (!byKey.TryGetValue(key, out var found))
            {
                result.Add(item);
                continue;
            }
            matchedKeys.Add(key);
            var label = Derive(item, found, source, options);
            if (label is not null && item.Quality.IsClean)
            {
                relabeled++;
                result.Add(item with { Quality = label });
            }
            else
            {
                result.Add(item);
            }
        }
        var matched = judgments.Count(j => matchedKeys.Contains(KeyOf(j.Question, j.Choices)));
        return new JudgmentImport(result, matched, judgments.Count - matched, relabeled);
    }

    private static QualityLabel? Derive(EvalItem item, IReadOnlyList<Judgment> judgments, string source, JudgmentOptions options)
    {
        var confident = judgments.Where(j => j.Confidence >= options.MinConfidence).ToArray();
        if (confident.Length == 0)
        {
            return null;
        }
        var note = string.Join(" | ", confident.Select(j => j.Reason).Where(r => !string.IsNullOrWhiteSpace(r)));
        var explicitStatus = confident
            .Select(j => j.Status is not null && ItemFileReader.TryParseStatus(j.Status, out var s) ? s : (QualityStatus?)null)
            .Where(s => s is not null)
            .GroupBy(s => s!.Value)
            .OrderByDescending(g => g.Count())
            .FirstOrDefault();
        if (explicitStatus is not null)
        {
            return explicitStatus.Key == QualityStatus.Ok ? null : new QualityLabel(explicitStatus.Key, source, note);
        }
        var answers = confident.Select(j => j.ParticipantAnswer is null ? -1 : ResolveChoice(item, j.ParticipantAnswer)).ToArray();
        var disagreeing = answers.Where(a => !item.Gold.Contains(a)).ToArray();
        if (disagreeing.Length * 2 <= answers.Length)
        {
            return null;
        }
        var top = disagreeing.GroupBy(a => a).OrderByDescending(g => g.Count()).First();
        if (top.Count() * 2 > answers.Length)
        {
            return new QualityLabel(top.Key == -1 ? QualityStatus.NoCorrect : QualityStatus.Mislabeled, source, note.Length > 0 ? note : null);
        }
        return new QualityLabel(QualityStatus.Ambiguous, source, note.Length > 0 ? note : null);
    }

    private static int ResolveChoice(EvalItem item, string answer)
    {
        var normalized = ExactMatch.Normalize(answer);
        for (var i = 0; i < item.Choices.Count; i++)
        {
            if (string.Equals(ExactMatch.Normalize(item.Choices[i]), normalized, StringComparison.Ordinal))
            {
                return i;
            }
        }
        var trimmed = answer.Trim();
        if (trimmed.Length == 1 && char.IsAsciiLetterUpper(trimmed[0]) && trimmed[0] - 'A' < item.Choices.Count)
        {
            return trimmed[0] - 'A';
        }
        return int.TryParse(trimmed, System.Globalization.CultureInfo.InvariantCulture, out var index) && index >= 0 && index < item.Choices.Count ? index : -2;
    }

    private static string KeyOf(string question, IEnumerable<string> choices) =>
        ExactMatch.Normalize(question) + "\u001e" + string.Join("\u001f", choices.Select(ExactMatch.Normalize).Order(StringComparer.Ordinal));
}
