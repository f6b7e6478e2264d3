using Levain.Evals.Backends;
using Levain.Evals.Tests.Fakes;

namespace Levain.Evals.Tests.Backends;

public sealed class TokenizedScoringTests
{
    [Fact]
    public void MoveTrailingSpaces_MovesAllTrailingWhiteSpaceLikePythonRstrip()
    {
        // lm-eval: n_spaces = len(context) - len(context.rstrip()); continuation = context[-n_spaces:] + continuation.
        Assert.Equal(("Answer:", "\n  42"), TokenizedScoring.MoveTrailingSpaces("Answer:\n  ", "42"));
        Assert.Equal(("Q", "\t\u00a0\u001f x"), TokenizedScoring.MoveTrailingSpaces("Q\t\u00a0\u001f ", "x"));
        Assert.Equal(("", " x"), TokenizedScoring.MoveTrailingSpaces(" ", "x"));
        Assert.Equal(("a\u200bb", "c"), TokenizedScoring.MoveTrailingSpaces("a\u200bb", "c"));
    }

    [Fact]
    public async Task ScoreAsync_CharacterModel_SumsTheContinuationsBigramLogProbs()
    {
        var model = CharBigramModel.Default;
        var score = (await model.ScoreAsync([new ScoreRequest("Answer: ", "café")]))[0];

        // The trailing space moves onto the continuation: " café" is scored after ':'.
        var expected = model.LogProb(':', ' ') + model.LogProb(' ', 'c') + model.LogProb('c', 'a') + model.LogProb('a', 'f') + model.LogProb('f', 'é');
        Assert.Equal(expected, score.LogLikelihood, 1e-12);
        Assert.Equal(5, score.TokenCount);
        Assert.Equal(6, score.ByteCount); // " café": é is two UTF-8 bytes
    }

    [Fact]
    public async Task ScoreAsync_EmptyContext_LeavesOutTheFirstToken()
    {
        var model = CharBigramModel.Default;
        var score = (await model.ScoreAsync([new ScoreRequest("", " ab")]))[0];
        Assert.Equal(model.LogProb(' ', 'a') + model.LogProb('a', 'b'), score.LogLikelihood, 1e-12);
        Assert.Equal(2, score.TokenCount);
    }

    [Fact]
    public void CutAtStop_EarliestStopWins() => Assert.Equal("ab", TokenizedScoring.CutAtStop("ab\ncd.ef", [".", "\n"]));
}
