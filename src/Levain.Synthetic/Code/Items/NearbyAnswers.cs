using System.Globalization;
using System.Text.RegularExpressions;

namespace Levain.Synthetic.Code.Items;

/// <summary>Answers close to the gold: one integer in the text moved by a small amount (<c>12</c> → <c>13</c>, <c>[1, 4]</c> → <c>[1, 3]</c>).</summary>
internal static partial class NearbyAnswers
{
    [GeneratedRegex(@"-?\d+")]
    private static partial Regex IntegerPattern();

    /// <summary>
    /// Candidates for the three distractors, none equal to <paramref name="gold"/>: first three planned moves within
    /// the spread (see <see cref="PlannedDeltas"/>), then farther ones.
    /// </summary>
    public static IEnumerable<string> Of(string gold, int spread, Random random)
    {
        var matches = IntegerPattern().Matches(gold);
        if (matches.Count == 0)
        {
            // An empty list: the nearby answers are short lists.
            for (var value = 0; value < 50; value++)
            {
                yield return $"[{value.ToString(CultureInfo.InvariantCulture)}]";
            }

            yield break;
        }

        foreach (var delta in PlannedDeltas(spread, random))
        {
            yield return Move(gold, matches[random.Next(matches.Count)], delta);
        }
    }

    /// <summary>
    /// Offsets from the gold for distractors. The first three put a uniformly drawn number r ∈ {0..3} of them below
    /// the gold and 3 − r above, each at a distance drawn from 1..max(spread, 3), so the gold's rank among the
    /// sorted choices is uniform and "pick the middle value" wins nothing. Every other offset up to spread + 50 on
    /// either side follows, for when planned ones are rejected.
    /// </summary>
    public static IEnumerable<long> PlannedDeltas(int spread, Random random)
    {
        var width = Math.Max(spread, 3);
        var below = Enumerable.Range(1, width).Select(d => -(long)d).ToList();
        var above = Enumerable.Range(1, width).Select(d => (long)d).ToList();
        Shuffle(below, random);
        Shuffle(above, random);
        var belowCount = random.Next(4);
        var planned = below.Take(belowCount).Concat(above.Take(3 - belowCount)).ToList();
        foreach (var delta in planned)
        {
            yield return delta;
        }

        var rest = below.Skip(belowCount).Concat(above.Skip(3 - belowCount)).OrderBy(Math.Abs).ToList();
        foreach (var delta in rest)
        {
            yield return delta;
        }

        for (long distance = width + 1; distance <= width + 50; distance++)
        {
            var sign = random.Next(2) == 0 ? 1 : -1;
            yield return sign * distance;
            yield return -sign * distance;
        }
    }

    private static string Move(string text, Match match, long delta)
    {
        var moved = long.Parse(match.Value, CultureInfo.InvariantCulture) + delta;
        return string.Concat(
            text.AsSpan(0, match.Index),
            moved.ToString(CultureInfo.InvariantCulture),
            text.AsSpan(match.Index + match.Length));
    }

    public static void Shuffle<T>(IList<T> items, Random random)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
