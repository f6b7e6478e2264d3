using Levain.Cli.Rendering;
using Levain.Runner.Reports;
using Levain.Runner.Tests.Reports;
using Spectre.Console;

namespace Levain.Cli.Tests.Rendering;

/// <summary>The study report as text: the scale-up's law, its recommendation and one run at its settings.</summary>
public sealed class StudyReportRendererTests
{
    [Fact]
    public void Render_AStudyTheSurrogateModels_PrintsTheLawThroughItsFront_TheRecommendation_AndOneRunAtItsSettings()
    {
        var report = StudyReportBuilder.Build(PowerLawStudy.Record, PowerLawStudy.Trials());
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
