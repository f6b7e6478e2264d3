using Levain.Core;
using System.Globalization;
using Levain.Evals.Generators;
using Levain.Evals.Reports;
using Levain.Evals.Scoring;
using Levain.Evals.Tasks;
using Levain.Evals.Tests.Fakes;

namespace Levain.Evals.Tests.Generators;

public sealed class LongContextRetrievalGeneratorTests
{
    private static readonly Dictionary<string, string> Short = new() { ["lengths"] = "300,600" };

    [Fact]
    public void Generate_CyclesLengthsAndTasks_ContextsGrowWithLength()
    {
        var items = new LongContextRetrievalGenerator().Generate(1_000_000_000, 12, Short);

        Assert.Equal(12, items.Count);
        Assert.Equal(["300", "300", "300", "600", "600", "600"], items.Take(6).Select(i => i.Meta!["length"]));
        Assert.Equal(["single", "multi", "variable"], items.Take(3).Select(i => i.Meta!["task"]));
        Assert.All(items, i =>
        {
            var requested = int.Parse(i.Meta!["length"], CultureInfo.InvariantCulture);
            Assert.InRange(i.Context.Length, requested / 2, requested * 2);
            Assert.Equal(4, i.Choices.Distinct().Count());
            Assert.Contains(i.Choices[i.Gold.Indices[0]], i.Context, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Generate_BadParameters_AreBadInput()
    {
        var generator = new LongContextRetrievalGenerator();
        Assert.Equal("parameters.tasks", Assert.Throws<InputException>(() => generator.Generate(1, 1, new Dictionary<string, string> { ["tasks"] = "haystack" })).Field);
        Assert.Equal("parameters.lengths", Assert.Throws<InputException>(() => generator.Generate(1, 1, new Dictionary<string, string> { ["lengths"] = "100" })).Field);
    }

    [Fact]
    public async Task Report_LongContextTask_HasEffectiveLengthSummary()
    {
        var task = TaskLoader.Load(new TaskManifest { Name = "lc", Generator = "long-context", GeneratorParameters = Short, Count = 6 });
        var run = await new Evaluator(CharBigramModel.Default, new EvaluatorOptions()).RunAsync(task);
        var report = TaskReportBuilder.Build(run, task, new TaskReportOptions());

        var summary = report.EffectiveLength!;
        Assert.Equal([300, 600], summary.Lengths.Select(l => l.Length));
        Assert.All(summary.Lengths, l => Assert.Equal(3, l.Accuracy.Count));
    }
}
