using System.Text.RegularExpressions;

namespace Levain.Lm.Tokenization;

/// <summary>
/// Counts pre-tokenized pieces ("words") over a stream of text chunks, on several threads: BPE training only needs each
/// distinct piece and how often it occurs, so memory grows with the vocabulary of the corpus, not its size. Special
/// token texts in the input are cut out (they are never merged into).
/// </summary>
public static class WordCounter
{
    public static Dictionary<string, long> Count(IEnumerable<string> chunks, string pattern, IReadOnlyList<string> specialTokens, int threads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        Regex pieces = PreTokenizerPatterns.Compile(PreTokenizerPatterns.Resolve(pattern));
        Regex? specials = specialTokens.Count == 0 ? null : new Regex(string.Join('|', specialTokens.OrderByDescending(s => s.Length).Select(Regex.Escape)), RegexOptions.CultureInvariant);
        var total = new Dictionary<string, long>(StringComparer.Ordinal);
        var gate = new object();
        try
        {
            CountParallel();
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            // A bad input file surfaces from the chunk enumerator wrapped by Parallel.ForEach: rethrow it as itself.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return total;

        void CountParallel() => Parallel.ForEach(
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken },
            () => new Dictionary<string, long>(StringComparer.Ordinal),
            (chunk, _, local) =>
            {
                if (specials is null)
                {
                    CountInto(local, pieces, chunk);
                    return local;
                }
                int at = 0;
                foreach (ValueMatch special in specials.EnumerateMatches(chunk))
                {
                    CountInto(local, pieces, chunk.AsSpan(at, special.Index - at));
                    at = special.Index + special.Length;
                }
                CountInto(local, pieces, chunk.AsSpan(at));
                return local;
            },
            local =>
            {
                lock (gate)
                {
                    foreach (var (word, count) in local)
                    {
                        total[word] = total.GetValueOrDefault(word) + count;
                    }
                }
            });
    }

    private static void CountInto(Dictionary<string, long> counts, Regex pieces, ReadOnlySpan<char> text)
    {
        var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (ValueMatch match in pieces.EnumerateMatches(text))
        {
            ReadOnlySpan<char> piece = text.Slice(match.Index, match.Length);
            lookup[piece] = lookup.TryGetValue(piece, out long n) ? n + 1 : 1;
        }
    }
}
