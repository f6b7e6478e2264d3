using Levain.Evals.Backends;
using Levain.Lm.Model;
using Levain.Lm.Scoring;
using Levain.Lm.Tests.Model;
using Levain.Lm.Tokenization;
using static TorchSharp.torch;

namespace Levain.Lm.Tests.Scoring;

public sealed class CheckpointScorerTests : IDisposable
{
    private readonly Generator _generator = new(11);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly Gpt _model;
    private readonly CheckpointScorer _scorer;

    public CheckpointScorerTests()
    {
        _model = new Gpt(GptTests.Tiny, _generator); // block size 16
        _scorer = CheckpointScorer.ForModel(_model, ByteTokenizer.Instance, "test");
    }

    [Fact]
    public void Generate_TokenIdPrompt_SameAsTextPrompt()
    {
        var sampling = new SamplingOptions(0.8, 0, 1.0, 7);
        var fromText = _scorer.Generate("x = 3", 6, sampling, cancellationToken: Ct);
        var fromIds = _scorer.Generate(ByteTokenizer.Instance.Encode("x = 3"), 6, sampling, cancellationToken: Ct);
        Assert.Equal(fromText.TokenIds, fromIds.TokenIds);
        Assert.Equal(fromText.Text, fromIds.Text);
        Assert.Equal(_scorer.Generate("", 4, sampling, cancellationToken: Ct).TokenIds, _scorer.Generate([], 4, sampling, cancellationToken: Ct).TokenIds); // empty: after end-of-text
    }

    [Fact]
    public async Task ScoreAsync_LogProbs_EqualManualLogSoftmax()
    {
        var score = (await _scorer.ScoreAsync([new ScoreRequest("x = 3", " 42")], Ct))[0];
        int[] sequence = [.. "x = 3 42"u8.ToArray().Select(b => (int)b)];
        double[] expected = ManualLogProbs(sequence, firstTarget: 5);
        Assert.Equal(3, score.TokenCount);
        Assert.Equal(3, score.ByteCount);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(sequence[5 + i], score.Tokens[i].TokenId);
            Assert.Equal(expected[i], score.Tokens[i].LogProb, 1e-5);
        }
    }

    [Fact]
    public async Task ScoreAsync_BatchOfOneVersusMany_IdenticalScores()
    {
        ScoreRequest[] requests =
        [
            new("a = 1\nprint(a)\n# Output:", " 1"), new("b", " 22"), new("", "hello"), new("x = 9 ", "9"),
            new("long context that is longer than the block size of sixteen", " tail"), new("q", " 0\n"),
        ];
        using var unbatched = CheckpointScorer.ForModel(_model, ByteTokenizer.Instance, "b1");
        unbatched.MaxBatchSize = 1;
        var many = await _scorer.ScoreAsync(requests, Ct);
        var one = new List<ContinuationScore>();
        foreach (ScoreRequest request in requests)
        {
            one.Add((await unbatched.ScoreAsync([request], Ct))[0]);
        }
        for (int r = 0; r < requests.Length; r++)
        {
            Assert.Equal(one[r].Tokens.Select(t => t.TokenId), many[r].Tokens.Select(t => t.TokenId));
            Assert.Equal(one[r].Tokens.Select(t => t.LogProb), many[r].Tokens.Select(t => t.LogProb));
            Assert.Equal(one[r].Tokens.Select(t => t.IsGreedy), many[r].Tokens.Select(t => t.IsGreedy));
        }
    }

    [Fact]
    public async Task ScoreAsync_TrailingContextSpace_MovesOntoContinuation()
    {
        var moved = (await _scorer.ScoreAsync([new ScoreRequest("x = ", "7"), new ScoreRequest("x =", " 7")], Ct));
        Assert.Equal(moved[1].Tokens, moved[0].Tokens);
        Assert.Equal(2, moved[0].TokenCount);
        Assert.Equal(2, moved[0].ByteCount);
    }

    [Fact]
    public async Task ScoreAsync_EmptyContext_ConditionsOnEndOfText()
    {
        var score = (await _scorer.ScoreAsync([new ScoreRequest("", "ab")], Ct))[0];
        double[] expected = ManualLogProbs([ByteTokenizer.EndOfText, 'a', 'b'], firstTarget: 1);
        Assert.Equal(expected, score.Tokens.Select(t => t.LogProb), (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Fact]
    public async Task ScoreAsync_IsGreedy_MatchesArgmax()
    {
        var score = (await _scorer.ScoreAsync([new ScoreRequest("abc", "defg")], Ct))[0];
        using var noGrad = no_grad();
        using Tensor logits = _model.forward(tensor(new long[] { 'a', 'b', 'c', 'd', 'e', 'f' }, [1, 6], ScalarType.Int64));
        long[] argmax = logits[0].argmax(-1).data<long>().ToArray();
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(argmax[2 + i] == "defg"[i], score.Tokens[i].IsGreedy);
        }
    }

    [Fact]
    public async Task ScoreRollingAsync_TextLongerThanBlock_ScoresEveryTokenWithMaximalContext()
    {
        string text = "the quick brown fox jumps over the lazy dog";  // 43 bytes, block size 16
        var rolling = (await _scorer.ScoreRollingAsync([text], Ct))[0];
        Assert.Equal(text.Length, rolling.TokenCount);
        int[] sequence = [ByteTokenizer.EndOfText, .. text.Select(c => (int)c)];
        // Token j is predicted from the (at most) 16 tokens before it within its window.
        for (int j = 1; j <= text.Length; j++)
        {
            int windowEnd = Math.Min(sequence.Length, ((j - 1) / 16 + 1) * 16 + 1);
            int inputStart = Math.Max(0, windowEnd - 1 - 16);
            double expected = ManualLogProbs(sequence[inputStart..(j + 1)], firstTarget: j - inputStart)[0];
            Assert.Equal(expected, rolling.Tokens[j - 1].LogProb, 1e-5);
        }
    }

    [Fact]
    public async Task ScoreTokensAsync_SkipsFirstToken()
    {
        var scores = await _scorer.ScoreTokensAsync([104, 105, 33], Ct);
        Assert.Equal([105, 33], scores.Select(s => s.TokenId));
        Assert.Equal(ManualLogProbs([104, 105, 33], 1), scores.Select(s => s.LogProb), (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Fact]
    public async Task GenerateAsync_SameSeed_SameText_AndStopsAtStopSequence()
    {
        var request = new GenerateRequest("x = ", ["\n"], MaxTokens: 12, Seed: 5, Temperature: 1.0);
        var first = await _scorer.GenerateAsync([request, request with { Temperature = 0 }], Ct);
        var second = await _scorer.GenerateAsync([request, request with { Temperature = 0 }], Ct);
        Assert.Equal(first, second);
        Assert.All(first, text => Assert.DoesNotContain("\n", text, StringComparison.Ordinal));
        var greedyTokens = await _scorer.GenerateTokensAsync(_scorer.Encode("x = "), 5, 0, 0, Ct);
        var greedyScores = await _scorer.ScoreTokensAsync([.. _scorer.Encode("x = "), .. greedyTokens], Ct);
        Assert.All(greedyScores.TakeLast(greedyTokens.Count), s => Assert.True(s.IsGreedy));
    }

    [Fact]
    public void MoveTrailingSpaces_SplitsAtLastNonSpace()
    {
        Assert.Equal(("a b", "  c"), CheckpointScorer.MoveTrailingSpaces("a b  ", "c"));
        Assert.Equal(("", " x"), CheckpointScorer.MoveTrailingSpaces(" ", "x"));
    }

    /// <summary>log p(sequence[j] | sequence[..j]) for j ≥ firstTarget, by an explicit log-softmax over the logits.</summary>
    private double[] ManualLogProbs(int[] sequence, int firstTarget)
    {
        using var noGrad = no_grad();
        long[] inputs = [.. sequence[..^1].Select(t => (long)t)];
        using Tensor logits = _model.forward(tensor(inputs, [1, inputs.Length], ScalarType.Int64));
        float[] values = logits.data<float>().ToArray();
        int v = _model.Config.VocabSize;
        var result = new List<double>();
        for (int j = firstTarget; j < sequence.Length; j++)
        {
            var row = values.AsSpan((j - 1) * v, v);
            double max = double.NegativeInfinity;
            foreach (float x in row)
            {
                max = Math.Max(max, x);
            }
            double sum = 0;
            foreach (float x in row)
            {
                sum += Math.Exp(x - max);
            }
            result.Add(row[sequence[j]] - max - Math.Log(sum));
        }
        return [.. result];
    }

    public void Dispose()
    {
        _scorer.Dispose();
        _model.Dispose();
        _generator.Dispose();
    }
}
