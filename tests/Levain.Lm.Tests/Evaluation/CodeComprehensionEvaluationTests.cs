using Levain.Evals.Backends;
using Levain.Lm.Evaluation;

namespace Levain.Lm.Tests.Evaluation;

public sealed class CodeComprehensionEvaluationTests
{
    [Fact]
    public async Task ScoreAsync_KnownLogLikelihoods_GivesNllOfGoldAndArgmaxAccuracy()
    {
        var items = CodeComprehensionEvaluation.HeldOutItems(3);
        var backend = new ScriptedBackend(request => request.Continuation.Length == 0 ? 0 : -request.Continuation.Length - (request.Continuation.GetHashCode() & 1));
        HeldOutScore score = await CodeComprehensionEvaluation.ScoreAsync(backend, items, TestContext.Current.CancellationToken);
        double expectedNll = items.Average(item => -backend.LogLikelihood(new ScoreRequest(item.Context, " " + item.Answer + "\n")));
        double expectedAcc = items.Average(item =>
        {
            var lls = item.Choices.Select(c => backend.LogLikelihood(new ScoreRequest(item.Context, " " + c + "\n"))).ToList();
            return lls.IndexOf(lls.Max()) == item.Gold ? 1.0 : 0.0;
        });
        double expectedNllChoice = items.Average(item =>
        {
            var lls = item.Choices.Select(c => backend.LogLikelihood(new ScoreRequest(item.Context, " " + c + "\n"))).ToList();
            return -Math.Log(Math.Exp(lls[item.Gold]) / lls.Sum(Math.Exp));
        });
        Assert.Equal(expectedNll, score.NllCorrect, 12);
        Assert.Equal(expectedAcc, score.Accuracy, 12);
        Assert.Equal(expectedNllChoice, score.NllChoice, 12);
        Assert.Equal(Math.Log(4), score.ChanceNll, 12);
        Assert.All(backend.Seen, r => Assert.StartsWith(" ", r.Continuation, StringComparison.Ordinal));
        Assert.All(backend.Seen, r => Assert.EndsWith("\n", r.Continuation, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ScoreAsync_UniformModel_NllChoiceIsChanceAndStdErrZero()
    {
        var items = CodeComprehensionEvaluation.HeldOutItems(8);
        var backend = new ScriptedBackend(_ => -3.0);
        HeldOutScore score = await CodeComprehensionEvaluation.ScoreAsync(backend, items, TestContext.Current.CancellationToken);
        Assert.Equal(Math.Log(4), score.NllChoice, 12);
        Assert.Equal(0.0, score.NllChoiceStdErr, 12);
        Assert.Equal(3.0, score.NllCorrect, 12);
    }

    [Fact]
    public void HeldOutItems_SameCount_SameItems()
    {
        Assert.Equal(CodeComprehensionEvaluation.HeldOutItems(5).Select(i => i.Id), CodeComprehensionEvaluation.HeldOutItems(5).Select(i => i.Id));
    }

    private sealed class ScriptedBackend(Func<ScoreRequest, double> logLikelihood) : IScoringBackend
    {
        public List<ScoreRequest> Seen { get; } = [];

        public string ModelId => "scripted";

        public string TokenizerId => "bytes";

        public double LogLikelihood(ScoreRequest request) => logLikelihood(request);

        public Task<IReadOnlyList<ContinuationScore>> ScoreAsync(IReadOnlyList<ScoreRequest> requests, CancellationToken cancellationToken = default)
        {
            Seen.AddRange(requests);
            return Task.FromResult<IReadOnlyList<ContinuationScore>>([.. requests.Select(r => new ContinuationScore([new TokenScore(0, null, logLikelihood(r), false)], r.Continuation.Length))]);
        }

        public Task<IReadOnlyList<ContinuationScore>> ScoreRollingAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<string>> GenerateAsync(IReadOnlyList<GenerateRequest> requests, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
