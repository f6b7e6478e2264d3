using Levain.Cli.Rendering;
using Levain.Runner.Reports;
using Levain.Studies;
using Levain.Studies.Trials;
using Levain.Tuning.Spaces;
using Spectre.Console;

namespace Levain.Cli.Tests.Rendering;

/// <summary>The study report as text: the scale-up's law, its recommendation and one run at its settings.</summary>
public sealed class StudyReportRendererTests
{
    private static readonly StudySpec Spec = new()
    {
        Name = "c",
        CostSource = "flops",
        Parameters = [ParameterSpec.Log("n", 30, 1, 1000), ParameterSpec.Log("lr", 3e-3, 1e-4, 1e-1)],
    };

    /// <summary>loss = 1 + 3·n^−0.4 + 0.1·(log₁₀(lr/lr*))² + N(0, 0.005²), lr* = 10⁻²·n^−0.3, cost = n; 50 trials of a log-uniform design.</summary>
    private static List<TrialRecord> Trials()
    {
        var rng = new Random(4);
        return [.. Enumerable.Range(1, 50).Select(i =>
        {
            var n = Math.Pow(10, 3 * rng.NextDouble());
            var lr = Math.Pow(10, -4 + (3 * rng.NextDouble()));
            var offset = Math.Log10(lr / (1e-2 * Math.Pow(n, -0.3)));
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            return new TrialRecord
            {
                Study = "c", Number = i, SuggestionId = $"s{i}", State = TrialState.Succeeded,
                Parameters = new Dictionary<string, ParamValue> { ["n"] = n, ["lr"] = lr },
                CreatedAt = DateTimeOffset.UnixEpoch, FinishedAt = DateTimeOffset.UnixEpoch.AddSeconds(i),
                Output = 1 + (3 * Math.Pow(n, -0.4)) + (0.1 * offset * offset) + (0.005 * gaussian), Cost = n,
            };
        })];
    }

    [Fact]
    public void Render_AStudyTheSurrogateModels_PrintsTheLawThroughItsFront_TheRecommendation_AndOneRunAtItsSettings()
    {
        var report = StudyReportBuilder.Build(new StudyRecord("c", Spec, DateTimeOffset.UnixEpoch, null), Trials());
        using var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        console.Profile.Width = 400;
        StudyReportRenderer.Render(console, report);
        var lines = text.ToString().Split('\n');
        TestContext.Current.TestOutputHelper?.WriteLine(text.ToString());
        Assert.Contains(lines, l => l.StartsWith("loss along the surrogate's predicted front, saturating law", StringComparison.Ordinal));
        var scaleUp = Assert.Single(lines, l => l.StartsWith("scale-up to cost", StringComparison.Ordinal));
        var up = report.ScaleUp!;
        Assert.Contains($"n {StudyReportRenderer.Num(up.Parameters.Single(p => p.Name == "n").Predicted)}", scaleUp, StringComparison.Ordinal);
        Assert.Contains($"loss of one run there {StudyReportRenderer.Num(up.AtSettings!.Predicted)}", scaleUp, StringComparison.Ordinal);
        // The known law's recommendation beats the best trial: no warning.
        Assert.DoesNotContain("warning", scaleUp, StringComparison.Ordinal);
    }
}
