using Levain.Core;
using Levain.Evals.Caching;
using Levain.Evals.Items;
using Levain.Evals.Reports;
using Levain.Evals.Scoring;
using Levain.Evals.Tasks;
using Levain.Evals.Tests.Fakes;

namespace Levain.Evals.Tests.Scoring;

public sealed class EvaluatorTests
{
    internal static LoadedTask ClozeTask(int count = 12)
    {
        string[][] choices = [["café", "crème", "cat"], ["four", "five", "naïve"], ["dog", "fox", "résumé"]];
        var items = Enumerable.Range(0, count).Select(i => new EvalItem(
            $"q{i}",
            i % 2 == 0 ? $"Question: café or crème {i}?\nAnswer:" : $"the quick brown {i}",
            choices[i % 3],
            GoldAnswer.Choice(i % 3),
            ItemFormat.Cloze,
            i == 5 ? new QualityLabel(QualityStatus.Mislabeled, "test") : QualityLabel.Unreviewed)).ToArray();
        return new LoadedTask(new TaskManifest { Name = "cloze" }, items);
    }

    [Fact]
    public async Task RunAsync_BatchSizeOneAndMany_GiveIdenticalRows()
    {
        var task = ClozeTask();
        var one = await new Evaluator(CharBigramModel.Default, new EvaluatorOptions(BatchSize: 1)).RunAsync(task);
        var many = await new Evaluator(CharBigramModel.Default, new EvaluatorOptions(BatchSize: 7)).RunAsync(task);

        Assert.Equal(one.Rows.Count, many.Rows.Count);
        for (var i = 0; i < one.Rows.Count; i++)
        {
            Assert.Equal(one.Rows[i].Choices, many.Rows[i].Choices);
            Assert.Equal(one.Rows[i].Scores, many.Rows[i].Scores);
        }
    }

    [Fact]
    public async Task RunAsync_NonAsciiChoices_RowsHoldOracleScoresAndCounts()
    {
        var model = CharBigramModel.Default;
        var task = ClozeTask(1);
        var row = (await new Evaluator(model, new EvaluatorOptions()).RunAsync(task)).Rows[0];

        var creme = row.Choices[1];
        Assert.Equal("crème", creme.Answer);
        Assert.Equal(5, creme.CharCount);
        Assert.Equal(6, creme.ByteCount);
        var expected = model.LogProb(':', ' ') + model.LogProb(' ', 'c') + model.LogProb('c', 'r') + model.LogProb('r', 'è') + model.LogProb('è', 'm') + model.LogProb('m', 'e');
        Assert.Equal(expected, creme.LogLikelihood, 1e-12);
        Assert.Equal(6, creme.TokenCount);
        Assert.NotNull(creme.UnconditionalLogLikelihood);
        Assert.True(row.Scores.ContainsKey("acc_pmi"));
    }

    [Fact]
    public async Task RunAsync_PositionBiasedScorer_RotationsExposeTheBias()
    {
        // A model that always prefers the letter A: right only when the gold sits at A.
        var scorer = new FixedScorer((_, continuation) => continuation == " A" ? -0.1 : -3);
        var items = Enumerable.Range(0, 8).Select(i => new EvalItem($"q{i}", $"Question {i}", ["w", "x", "y", "z"], GoldAnswer.Choice(i % 4), ItemFormat.Lettered, QualityLabel.Unreviewed)).ToArray();
        var task = new LoadedTask(new TaskManifest { Name = "biased", Rotations = 4 }, items);

        var run = await new Evaluator(scorer, new EvaluatorOptions()).RunAsync(task);
        var summary = TaskReportBuilder.SummarizeRotations(run.Rows)!;

        Assert.Equal(32, run.Rows.Count);
        Assert.Equal(4, summary.Rotations);
        Assert.Equal(0.25, summary.MeanAccuracy.Value, 1e-12);
        Assert.Equal("clustered", summary.MeanAccuracy.Method);
        Assert.Equal(0, summary.StrictAccuracy.Value);
        Assert.Equal([1.0, 0, 0, 0], summary.PositionRecall.Select(p => p.Recall));
        Assert.Equal(1.0, summary.RecallSpread);
        // Predictions map back to the original choice shown at A under each rotation.
        Assert.All(run.Rows, r => Assert.Equal(r.Rotation % 4, r.PredictedChoice));
    }

    [Fact]
    public async Task RunAsync_UnbiasedScorer_StrictEqualsMean()
    {
        var scorer = new FixedScorer((context, continuation) =>
        {
            var letter = continuation.Trim();
            var line = context.Split('\n').First(l => l.StartsWith(letter + ". ", StringComparison.Ordinal));
            return line.EndsWith("right", StringComparison.Ordinal) ? -0.5 : -2;
        });
        var items = Enumerable.Range(0, 4).Select(i => new EvalItem($"q{i}", "Q", ["wrong1", "right", "wrong2"], GoldAnswer.Choice(1), ItemFormat.Lettered, QualityLabel.Unreviewed)).ToArray();
        var run = await new Evaluator(scorer, new EvaluatorOptions(Rotations: 3)).RunAsync(new LoadedTask(new TaskManifest { Name = "fair" }, items));
        var summary = TaskReportBuilder.SummarizeRotations(run.Rows)!;
        Assert.Equal(1, summary.MeanAccuracy.Value);
        Assert.Equal(1, summary.StrictAccuracy.Value);
        Assert.Equal(0, summary.RecallSpread);
    }

    [Fact]
    public async Task RunAsync_CancelledMidRun_ResumesFromCacheWithIdenticalRows()
    {
        using var temp = new TempDirectory();
        var task = ClozeTask(10);
        var reference = await new Evaluator(CharBigramModel.Default, new EvaluatorOptions(BatchSize: 4)).RunAsync(task);

        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.Done - p.FromCache >= 8)
            {
                cancel.Cancel();
            }
        });
        var slow = new CharBigramModel(CharBigramModelTraining) { DelayPerCall = TimeSpan.FromMilliseconds(1) };
        using (var cache = ResultCache.Open(temp.Path))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                new Evaluator(slow, new EvaluatorOptions(BatchSize: 4), cache).RunAsync(task, progress, cancel.Token));
        }
        var resumedModel = new CharBigramModel(CharBigramModelTraining);
        using (var cache = ResultCache.Open(temp.Path))
        {
            Assert.InRange(cache.Count, 8, 12);
            var resumed = await new Evaluator(resumedModel, new EvaluatorOptions(BatchSize: 4), cache).RunAsync(task);
            Assert.Equal(resumed.CachedRequests + resumed.ScoredRequests, cache.Count); // every unique request is now cached
            Assert.InRange(resumed.CachedRequests, 8, 12);
            Assert.Equal(reference.Rows.Select(r => r.Scores), resumed.Rows.Select(r => r.Scores));
            Assert.Equal(reference.Rows.Select(r => r.Choices.Select(c => c.LogLikelihood).ToArray()), resumed.Rows.Select(r => r.Choices.Select(c => c.LogLikelihood).ToArray()));
        }
    }

    [Fact]
    public async Task RunAsync_Progress_CountsItemsOnceEveryRequestOfTheirsIsAnswered()
    {
        using var temp = new TempDirectory();
        var task = ClozeTask(10);
        var reports = new List<EvalProgress>();
        using (var cache = ResultCache.Open(temp.Path))
        {
            await new Evaluator(CharBigramModel.Default, new EvaluatorOptions(BatchSize: 2), cache).RunAsync(task, new SynchronousProgress(reports.Add));
        }
        Assert.All(reports, r => Assert.Equal(10, r.Items));
        Assert.Equal(0, reports[0].ItemsDone);
        Assert.Equal(10, reports[^1].ItemsDone);
        Assert.Equal(reports.Select(r => r.ItemsDone).Order(), reports.Select(r => r.ItemsDone));
        // Each item has three answers of its own: it cannot be done before three requests per done item are answered.
        Assert.All(reports, r => Assert.True(r.ItemsDone * 3 <= r.Done, $"{r.ItemsDone} items done after {r.Done} requests"));
        Assert.Contains(reports, r => r.ItemsDone is > 0 and < 10);

        reports.Clear();
        using (var cache = ResultCache.Open(temp.Path))
        {
            await new Evaluator(CharBigramModel.Default, new EvaluatorOptions(BatchSize: 2), cache).RunAsync(task, new SynchronousProgress(reports.Add));
        }
        Assert.Equal(10, reports[0].ItemsDone); // everything from the cache: every item is done at once
    }

    private static string CharBigramModelTraining => "the quick brown fox jumps over the lazy dog. a cat sat on the mat. x = 3\nprint(x + 4)\n# Output: 7\n" +
        "Question: what is two plus two?\nAnswer: four. Question: café or crème? Answer: café. naïve résumé déjà vu.\n";

    [Fact]
    public async Task RunAsync_UnknownMetric_IsBadInput()
    {
        var task = ClozeTask(2) with { Manifest = new TaskManifest { Name = "m", Metrics = ["accuracy"] } };
        var error = await Assert.ThrowsAsync<InputException>(() => new Evaluator(CharBigramModel.Default, new EvaluatorOptions()).RunAsync(task));
        Assert.Equal("metrics", error.Field);
    }

    [Fact]
    public async Task RunAsync_GenerationAndRolling_ScoreExactMatchAndPerplexity()
    {
        var model = CharBigramModel.Default;
        var items = new[]
        {
            new EvalItem("g", "the quick brown fox jumps over the lazy", [], GoldAnswer.Text("x"), ItemFormat.Generate, QualityLabel.Unreviewed),
            new EvalItem("r", "the cat sat", [], GoldAnswer.Text("the cat sat"), ItemFormat.Rolling, QualityLabel.Unreviewed),
        };
        var run = await new Evaluator(model, new EvaluatorOptions()).RunAsync(new LoadedTask(new TaskManifest { Name = "mixed", MaxTokens = 4 }, items));

        var generated = await model.GenerateAsync([new Evals.Backends.GenerateRequest("the quick brown fox jumps over the lazy", ["\n"], 4)]);
        Assert.Equal(generated[0], run.Rows[0].Generated);
        Assert.Equal(generated[0] == "x" ? 1 : 0, run.Rows[0].Scores["exact_match"]);
        var rolling = run.Rows[1].Rolling!;
        var expected = Enumerable.Range(1, 10).Sum(k => model.LogProb("the cat sat"[k - 1], "the cat sat"[k]));
        Assert.Equal(expected, rolling.LogLikelihood, 1e-12);
        Assert.Equal(3, rolling.WordCount);
        Assert.Equal(11, rolling.ByteCount);
        Assert.Contains("bits_per_byte", run.Metrics);
    }

    private sealed class SynchronousProgress(Action<EvalProgress> onReport) : IProgress<EvalProgress>
    {
        public void Report(EvalProgress value) => onReport(value);
    }
}
