using System.Text;
using Levain.Lm.Tokenization;

namespace Levain.Lm.Tests.Tokenization;

public sealed class BpeTrainerTests
{
    private static readonly string Corpus = string.Join("\n", Enumerable.Repeat(
        "the cat sat on the mat; the hat that the cat had. Кот сидел на коврике, кот и кошка. the end of the theme 123 1234", 3)) + "\n";

    [Fact]
    public void Train_SmallCorpus_MatchesNaiveRecountOracle()
    {
        var options = new BpeTrainerOptions { VocabularySize = 256 + 40 + 1, MinFrequency = 1, Threads = 2 };
        BpeTokenizer trained = BpeTrainer.Train([Corpus], options, cancellationToken: TestContext.Current.CancellationToken);
        List<byte[]> expected = NaiveMerges(WordCounter.Count([Corpus], "gpt2", [], 1, TestContext.Current.CancellationToken), 40);
        Assert.Equal(256 + expected.Count, trained.RegularCount);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], trained.TokenBytes(256 + i).ToArray());
        }
    }

    [Fact]
    public void Train_MinFrequency_StopsEarly()
    {
        BpeTokenizer tokenizer = BpeTrainer.Train([Corpus], new BpeTrainerOptions { VocabularySize = 5000, MinFrequency = 6 }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(tokenizer.VocabularySize < 5000);
        // The most frequent pair of this corpus ("t" "h" in "the", "that", ...) was merged first.
        Assert.Equal("th"u8.ToArray(), tokenizer.TokenBytes(256).ToArray());
    }

    [Fact]
    public void Train_SpecialTokens_FollowRegularIdsAndAreNeverMerged()
    {
        string text = Corpus + "<|im_start|>user hi<|im_end|><|endoftext|>";
        var options = new BpeTrainerOptions { VocabularySize = 300, MinFrequency = 1, SpecialTokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"] };
        BpeTokenizer tokenizer = BpeTrainer.Train([text], options, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(300, tokenizer.VocabularySize);
        Assert.Equal(297, tokenizer.EndOfTextId);
        Assert.Equal([298, .. tokenizer.Encode("user"), 299], tokenizer.Encode("<|im_start|>user<|im_end|>"));
        for (int id = 0; id < tokenizer.RegularCount; id++)
        {
            Assert.DoesNotContain("<|", Encoding.Latin1.GetString(tokenizer.TokenBytes(id)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Train_SameInput_SameTokenizerWhateverTheThreads()
    {
        string[] chunks = [.. Enumerable.Range(0, 20).Select(i => $"chunk {i}: " + Corpus)];
        var one = BpeTrainer.Train(chunks, new BpeTrainerOptions { VocabularySize = 400, Threads = 1 }, cancellationToken: TestContext.Current.CancellationToken);
        var two = BpeTrainer.Train(chunks, new BpeTrainerOptions { VocabularySize = 400, Threads = 2 }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(one.Id, two.Id);
    }

    /// <summary>Textbook BPE: recount every pair over all words before each merge; ties to the lower (left, right) ids.</summary>
    private static List<byte[]> NaiveMerges(Dictionary<string, long> counts, int merges)
    {
        var tokens = Enumerable.Range(0, 256).Select(b => new[] { (byte)b }).ToList();
        var words = counts.Select(p => (Symbols: Encoding.UTF8.GetBytes(p.Key).Select(b => (int)b).ToList(), Count: p.Value)).ToList();
        var added = new List<byte[]>();
        for (int m = 0; m < merges; m++)
        {
            var pairs = new Dictionary<(int, int), long>();
            foreach (var (symbols, count) in words)
            {
                for (int i = 0; i + 1 < symbols.Count; i++)
                {
                    pairs[(symbols[i], symbols[i + 1])] = pairs.GetValueOrDefault((symbols[i], symbols[i + 1])) + count;
                }
            }
            if (pairs.Count == 0) break;
            var best = pairs.OrderByDescending(p => p.Value).ThenBy(p => p.Key.Item1).ThenBy(p => p.Key.Item2).First().Key;
            byte[] joined = [.. tokens[best.Item1], .. tokens[best.Item2]];
            int id = tokens.FindIndex(t => t.AsSpan().SequenceEqual(joined));
            if (id < 0)
            {
                id = tokens.Count;
                tokens.Add(joined);
                added.Add(joined);
            }
            foreach (var (symbols, _) in words)
            {
                for (int i = 0; i + 1 < symbols.Count; i++)
                {
                    if (symbols[i] == best.Item1 && symbols[i + 1] == best.Item2)
                    {
                        symbols[i] = id;
                        symbols.RemoveAt(i + 1);
                    }
                }
            }
        }
        return added;
    }
}
