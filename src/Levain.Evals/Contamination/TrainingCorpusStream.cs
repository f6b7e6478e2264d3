using Levain.Synthetic.Code.Corpus;

namespace Levain.Evals.Contamination;

/// <summary>
/// The documents of Levain's built-in training corpus (the code-comprehension training stream of
/// <c>Levain.Synthetic</c>), so a contamination index can be built over exactly what <c>levain train</c> saw.
/// </summary>
public static class TrainingCorpusStream
{
    /// <summary>The first <paramref name="count"/> documents of the default (easy) training corpus.</summary>
    public static IEnumerable<string> Documents(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return TrainingCorpus.Documents(TrainingCorpusOptions.Easy).Take(count);
    }
}
