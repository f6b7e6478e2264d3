using System.Text;

namespace Levain.Lm.Tokenization;

/// <summary>
/// Trains byte-level BPE from word counts (see <see cref="WordCounter"/>). Every merge joins the most frequent adjacent
/// pair (ties: the lower ids first). Pair counts are kept incrementally: a merge touches only the words that contain
/// the pair (an index from pair to words), subtracts their old pairs and adds their new ones; the best pair comes from a
/// priority queue with lazy invalidation (an entry whose count is stale is re-queued with the current count when it
/// surfaces). Cost per merge is proportional to the words it changes, not to the corpus.
/// </summary>
public static class BpeTrainer
{
    /// <summary>Counts the chunks' words and trains on them.</summary>
    public static BpeTokenizer Train(IEnumerable<string> chunks, BpeTrainerOptions options, IProgress<BpeTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var counts = WordCounter.Count(chunks, options.Pattern, options.SpecialTokens, options.Threads, cancellationToken);
        return Train(counts, options, progress, cancellationToken);
    }

    public static BpeTokenizer Train(IReadOnlyDictionary<string, long> wordCounts, BpeTrainerOptions options, IProgress<BpeTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wordCounts);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var tokens = new List<byte[]>(options.VocabularySize);
        var idByBytes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int b = 0; b < 256; b++)
        {
            tokens.Add([(byte)b]);
            idByBytes[Latin1(tokens[b])] = b;
        }
        int targetRegular = options.VocabularySize - options.SpecialTokens.Count;

        // Words as symbol arrays, sorted so the result does not depend on dictionary order.
        var words = new int[wordCounts.Count][];
        var frequencies = new long[wordCounts.Count];
        int w = 0;
        foreach (var (word, count) in wordCounts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            byte[] bytes = Encoding.UTF8.GetBytes(word);
            words[w] = Array.ConvertAll(bytes, x => (int)x);
            frequencies[w++] = count;
        }

        var pairCounts = new Dictionary<long, long>();
        var wordsWithPair = new Dictionary<long, List<int>>();
        for (w = 0; w < words.Length; w++)
        {
            int[] symbols = words[w];
            for (int i = 0; i + 1 < symbols.Length; i++)
            {
                long key = BpeTokenizer.PairKey(symbols[i], symbols[i + 1]);
                pairCounts[key] = pairCounts.GetValueOrDefault(key) + frequencies[w];
                AddWord(wordsWithPair, key, w);
            }
        }
        var queue = new PriorityQueue<long, (long Count, long Key)>(pairCounts.Count, MostFrequentFirst.Instance);
        foreach (var (key, count) in pairCounts)
        {
            queue.Enqueue(key, (count, key));
        }

        int targetMerges = targetRegular - 256, merges = 0;
        var visited = new int[words.Length];
        var touched = new List<long>();
        var merged = new List<int>();
        while (tokens.Count < targetRegular && queue.TryDequeue(out long best, out var queued))
        {
            cancellationToken.ThrowIfCancellationRequested();
            long current = pairCounts.GetValueOrDefault(best);
            if (current != queued.Count)
            {
                if (current > 0)
                {
                    queue.Enqueue(best, (current, best));
                }
                continue;
            }
            if (current < options.MinFrequency)
            {
                break;
            }
            int left = (int)(best >> 32), right = (int)(uint)best;
            byte[] joined = [.. tokens[left], .. tokens[right]];
            string joinedKey = Latin1(joined);
            if (!idByBytes.TryGetValue(joinedKey, out int newId))
            {
                newId = tokens.Count;
                tokens.Add(joined);
                idByBytes[joinedKey] = newId;
            }
            merges++;
            touched.Clear();
            foreach (int word in wordsWithPair[best])
            {
                if (visited[word] == merges)
                {
                    continue;
                }
                visited[word] = merges;
                int[] symbols = words[word];
                if (!Merge(symbols, left, right, newId, merged))
                {
                    continue;
                }
                long frequency = frequencies[word];
                for (int i = 0; i + 1 < symbols.Length; i++)
                {
                    long key = BpeTokenizer.PairKey(symbols[i], symbols[i + 1]);
                    pairCounts[key] -= frequency;
                }
                for (int i = 0; i + 1 < merged.Count; i++)
                {
                    long key = BpeTokenizer.PairKey(merged[i], merged[i + 1]);
                    pairCounts[key] = pairCounts.GetValueOrDefault(key) + frequency;
                    if (merged[i] == newId || merged[i + 1] == newId)
                    {
                        AddWord(wordsWithPair, key, word);
                        touched.Add(key);
                    }
                }
                words[word] = [.. merged];
            }
            wordsWithPair.Remove(best);
            pairCounts.Remove(best);
            foreach (long key in touched)
            {
                if (pairCounts.TryGetValue(key, out long count) && count > 0)
                {
                    queue.Enqueue(key, (count, key));
                }
            }
            if (progress is not null && (merges % 500 == 0 || tokens.Count == targetRegular))
            {
                progress.Report(new BpeTrainingProgress(merges, targetMerges, current));
            }
        }
        return new BpeTokenizer(tokens, options.SpecialTokens, PreTokenizerPatterns.Resolve(options.Pattern), options.EndOfText);
    }

    /// <summary>Writes <paramref name="symbols"/> with every non-overlapping (left, right) pair, left to right, replaced by <paramref name="newId"/>.</summary>
    private static bool Merge(int[] symbols, int left, int right, int newId, List<int> merged)
    {
        merged.Clear();
        bool isChanged = false;
        for (int i = 0; i < symbols.Length; i++)
        {
            if (i + 1 < symbols.Length && symbols[i] == left && symbols[i + 1] == right)
            {
                merged.Add(newId);
                i++;
                isChanged = true;
            }
            else
            {
                merged.Add(symbols[i]);
            }
        }
        return isChanged;
    }

    private static void AddWord(Dictionary<long, List<int>> wordsWithPair, long key, int word)
    {
        if (!wordsWithPair.TryGetValue(key, out List<int>? list))
        {
            wordsWithPair[key] = list = new List<int>(2);
        }
        if (list.Count == 0 || list[^1] != word)
        {
            list.Add(word);
        }
    }

    private static string Latin1(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    private sealed class MostFrequentFirst : IComparer<(long Count, long Key)>
    {
        public static readonly MostFrequentFirst Instance = new();

        public int Compare((long Count, long Key) x, (long Count, long Key) y) =>
            x.Count != y.Count ? y.Count.CompareTo(x.Count) : x.Key.CompareTo(y.Key);
    }
}
