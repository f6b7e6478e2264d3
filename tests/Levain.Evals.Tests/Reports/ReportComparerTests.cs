using Levain.Core;
using Levain.Evals.Items;
using Levain.Evals.Reports;
using Levain.Evals.Scoring;
using Levain.Evals.Statistics;

namespace Levain.Evals.Tests.Reports;

public sealed class ReportComparerTests
{
    private static ItemResult Row(string id, double acc, double confidence) => new()
    {
        ItemId = id,
        Cluster = id,
        Format = ItemFormat.Cloze,
        Confidence = confidence,
        Scores = new Dictionary<string, double> { ["acc"] = acc },
    };

    private static RunReport Run(string model, params ItemResult[] rows) => new(
        new RunManifest { HarnessVersion = "t", ModelId = model, TokenizerId = "t", Backend = "in-process" },
        [new TaskReport { Name = "task", Source = "s", Metrics = new Dictionary<string, MetricEstimate>(), MetricNames = ["acc", "ece"], Rows = rows }]);

    [Fact]
    public void Compare_SameItems_UsesPairedErrorOfDifferences()
    {
        var a = Run("a", Row("1", 0, 0.6), Row("2", 1, 0.7), Row("3", 0, 0.8), Row("4", 1, 0.9));
        var b = Run("b", Row("1", 1, 0.6), Row("2", 1, 0.7), Row("3", 1, 0.8), Row("4", 1, 0.9), Row("5", 1, 0.9));

        var task = Assert.Single(ReportComparer.Compare(a, b).Tasks);

        Assert.Equal(4, task.SharedRows);
        Assert.Equal(1, task.OnlyInB);
        var acc = task.Metrics.Single(m => m.Metric == "acc");
        Assert.Equal(0.5, acc.A);
        Assert.Equal(1.0, acc.B);
        Assert.Equal(0.5, acc.Difference);
        // differences 1, 0, 1, 0 → SE = sqrt((4 · 0.25) / 3 / 4)
        Assert.Equal(Math.Sqrt(1.0 / 12), acc.StandardError!.Value, 1e-12);
        Assert.Equal("paired-mean", acc.Method);
        var ece = task.Metrics.Single(m => m.Metric == "ece");
        Assert.Equal("paired-bootstrap", ece.Method);
        Assert.NotNull(ece.StandardError);
    }

    [Fact]
    public void Json_RoundTrip_KeepsRowsAndManifest()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "r.json");
        var report = Run("a", Row("1", 0, 0.6), Row("2", 1, 0.7));
        ReportJson.Write(report, path);
        var read = ReportJson.Read(path);
        Assert.Equal("a", read.Manifest.ModelId);
        Assert.Equal(2, read.Tasks[0].Rows.Count);
        Assert.Equal(0.7, read.Tasks[0].Rows[1].Confidence);
        Assert.Equal(ReportComparer.Compare(report, report).Tasks[0].Metrics.Select(m => m.Difference), ReportComparer.Compare(read, read).Tasks[0].Metrics.Select(m => m.Difference));
    }

    [Fact]
    public void Read_NotAReport_IsBadInput()
    {
        using var temp = new TempDirectory();
        Assert.Throws<InputException>(() => ReportJson.Read(temp.File("x.json", "{\"tasks\": 3}")));
        Assert.Throws<InputException>(() => ReportJson.Read(temp.File("y.json", "{}")));
    }

    [Fact]
    public void SummarizeLengths_EffectiveLengthIsTheLongestPrefixAboveThreshold()
    {
        ItemResult At(int length, int i, double acc) => Row($"{length}-{i}", acc, 0.5) with { Meta = new Dictionary<string, string> { ["length"] = length.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
        var rows = new[]
        {
            At(256, 0, 1), At(256, 1, 1),
            At(512, 0, 1), At(512, 1, 0.0) , At(512, 2, 1), At(512, 3, 1),
            At(1024, 0, 0), At(1024, 1, 1),
            At(2048, 0, 1), At(2048, 1, 1),
        };
        var summary = TaskReportBuilder.SummarizeLengths(rows, 0.75)!;
        Assert.Equal([256, 512, 1024, 2048], summary.Lengths.Select(l => l.Length));
        Assert.Equal(0.75, summary.Lengths[1].Accuracy.Value);
        Assert.Equal(512, summary.EffectiveLength);
    }
}
