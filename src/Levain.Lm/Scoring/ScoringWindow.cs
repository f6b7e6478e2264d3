namespace Levain.Lm.Scoring;

/// <summary>
/// One forward pass worth of scoring: the model reads <see cref="Inputs"/> (at most block-size tokens) and the
/// predictions at positions <see cref="FirstScoredPosition"/>… are scored against <see cref="Targets"/>.
/// </summary>
internal sealed record ScoringWindow(long[] Inputs, int FirstScoredPosition, int[] Targets)
{
    /// <summary>
    /// Splits the scoring of <paramref name="sequence"/>[<paramref name="firstTarget"/>..] into windows of at most
    /// <paramref name="blockSize"/> predicted tokens, each seeing as much preceding context as fits (the rolling
    /// log-likelihood convention: disjoint predictions, maximal context).
    /// </summary>
    public static IReadOnlyList<ScoringWindow> Cover(IReadOnlyList<int> sequence, int firstTarget, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentOutOfRangeException.ThrowIfLessThan(firstTarget, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        var windows = new List<ScoringWindow>();
        for (int start = firstTarget; start < sequence.Count; start += blockSize)
        {
            int end = Math.Min(sequence.Count, start + blockSize);  // targets sequence[start..end)
            int inputStart = Math.Max(0, end - 1 - blockSize);       // inputs sequence[inputStart..end-1)
            var inputs = new long[end - 1 - inputStart];
            for (int i = 0; i < inputs.Length; i++)
            {
                inputs[i] = sequence[inputStart + i];
            }
            var targets = new int[end - start];
            for (int i = 0; i < targets.Length; i++)
            {
                targets[i] = sequence[start + i];
            }
            windows.Add(new ScoringWindow(inputs, start - 1 - inputStart, targets));
        }
        return windows;
    }
}
