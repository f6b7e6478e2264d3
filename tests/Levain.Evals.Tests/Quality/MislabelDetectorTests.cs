using Levain.Evals.Items;
using Levain.Evals.Quality;
using Levain.Evals.Reports;
using Levain.Evals.Scoring;

namespace Levain.Evals.Tests.Quality;

public sealed class MislabelDetectorTests
{
    private static ItemResult Row(string id, int predicted, double confidence) => new()
    {
        ItemId = id,
        Cluster = id,
        Format = ItemFormat.Cloze,
        GoldPositions = [0],
        Choices = [new ChoiceResult("x", -1, 1, 1, 1, false), new ChoiceResult("y", -1, 1, 1, 1, false)],
        PredictedPosition = predicted,
        PredictedChoice = predicted,
        Confidence = confidence,
        Scores = new Dictionary<string, double> { ["acc"] = predicted == 0 ? 1 : 0 },
    };

    private static RunReport Run(string model, params ItemResult[] rows) => new(
        new RunManifest { HarnessVersion = "t", ModelId = model, TokenizerId = "t", Backend = "in-process" },
        [new TaskReport { Name = "task", Source = "s", Metrics = new Dictionary<string, Levain.Evals.Statistics.MetricEstimate>(), MetricNames = ["acc"], Rows = rows }]);

    [Fact]
    public void Find_AllRunsConfidentlyAgreeOnAnotherChoice_Flags()
    {
        var a = Run("a", Row("agree", 1, 0.9), Row("split", 1, 0.9), Row("unsure", 1, 0.9), Row("right", 0, 0.99));
        var b = Run("b", Row("agree", 1, 0.8), Row("split", 0, 0.9), Row("unsure", 1, 0.3), Row("right", 0, 0.99));

        var flags = MislabelDetector.Find([a, b], minConfidence: 0.6);

        var flag = Assert.Single(flags);
        Assert.Equal("agree", flag.ItemId);
        Assert.Equal(1, flag.SuggestedChoice);
        Assert.Equal("y", flag.SuggestedAnswer);
        Assert.Equal(2, flag.Runs);
        Assert.Equal(0.85, flag.MeanConfidence, 1e-12);
    }

    [Fact]
    public void Find_OneRun_IsNotEnough() =>
        Assert.Empty(MislabelDetector.Find([Run("a", Row("agree", 1, 0.9))]));
}
