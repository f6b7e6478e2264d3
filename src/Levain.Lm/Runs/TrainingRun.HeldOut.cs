using Levain.Synthetic;
using Levain.Synthetic.Code.Items;

namespace Levain.Lm.Runs;

public static partial class TrainingRun
{
    /// <summary>
    /// Held-out items no trial was scored (or selected) on, as the generator seed of the first and a count: past the
    /// first <paramref name="scoredItems"/> held-out items a training run scores, still within the
    /// <see cref="GuardedHeldOutItems"/> its training stream is guarded against. The skip is rounded up to whole cycles
    /// of the item forms, so generating from that seed gives exactly the held-out items at those positions.
    /// </summary>
    public static (int Seed, int Count) UnselectedHeldOutItems(int scoredItems, int count, CodeItemOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(scoredItems);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(options);
        int forms = options.Forms.Count;
        int skip = (scoredItems + forms - 1) / forms * forms;
        return (SeedRanges.HeldOut.Start + skip, Math.Max(0, Math.Min(count, GuardedHeldOutItems - skip)));
    }
}
