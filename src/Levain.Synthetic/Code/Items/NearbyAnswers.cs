using System.Globalization;
using System.Text.RegularExpressions;

namespace Levain.Synthetic.Code.Items;

/// <summary>Answers close to the gold: one integer in the text moved by a small amount (<c>12</c> → <c>13</c>, <c>[1, 4]</c> → <c>[1, 3]</c>).</summary>
internal static partial class NearbyAnswers
{
    [GeneratedRegex(@"-?\d+")]
    private static partial Regex IntegerPattern();

    /// <summary>Candidates in order of closeness (ties in random order), none equal to <paramref name="gold"/>.</summary>
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

        // Every move within the spread is equally likely to come first; farther moves follow, nearest first.
        var near = new List<(int Match, long Delta)>();
        for (var distance = 1; distance <= spread; distance++)
        {
            for (var m = 0; m < matches.Count; m++)
            {
                near.Add((m, distance));
                near.Add((m, -distance));
            }
        }

        Shuffle(near, random);
        foreach (var (m, delta) in near)
        {
            yield return Move(gold, matches[m], delta);
        }

        for (var distance = spread + 1; distance <= spread + 50; distance++)
        {
            for (var m = 0; m < matches.Count; m++)
            {
                var sign = random.Next(2) == 0 ? 1 : -1;
                yield return Move(gold, matches[m], sign * distance);
                yield return Move(gold, matches[m], -sign * distance);
            }
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
