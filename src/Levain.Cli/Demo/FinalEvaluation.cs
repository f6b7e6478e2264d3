using System.Text.Json.Nodes;
using Levain.Cli.Rendering;
using Levain.Lm.Evaluation;
using Spectre.Console;

namespace Levain.Cli.Demo;

/// <summary>The best trial's checkpoint scored on held-out items that no trial was selected on, against chance.</summary>
internal sealed record FinalEvaluation(int Trial, string Checkpoint, HeldOutScore Score)
{
    public double ChanceAccuracy => 1.0 / Math.Exp(Score.ChanceNll);

    public void Render(IAnsiConsole console, string evalTask)
    {
        var s = Score;
        var table = new Table { Title = new TableTitle($"Best model (trial {Trial}) on {s.Items} fresh held-out items") };
        table.AddColumn("metric");
        table.AddColumn("model");
        table.AddColumn("chance");
        table.AddColumn("difference");
        table.AddRow("accuracy", $"{s.Accuracy:P1} ± {s.AccuracyStdErr:P1}", $"{ChanceAccuracy:P1}", $"{(s.Accuracy - ChanceAccuracy) * 100:+0.0;-0.0} points");
        table.AddRow("NLL of the gold among the choices (−ln p_correct)", $"{s.NllChoice:0.000} ± {s.NllChoiceStdErr:0.000}", $"{s.ChanceNll:0.000} (ln {Math.Exp(s.ChanceNll):0})",
            $"{s.NllChoice - s.ChanceNll:+0.000;-0.000} nats");
        table.AddRow("nll_correct (−LL of the gold answer's bytes)", NumberText.Format(s.NllCorrect), "-", "-");
        console.Write(table);
        var verdict = s.Accuracy - 2 * s.AccuracyStdErr > ChanceAccuracy ? "[green]beats chance[/] (accuracy more than 2 standard errors above it)"
            : "[yellow]does not clearly beat chance[/] (run the full demo, or give it more time)";
        console.MarkupLine($"The best model {verdict}. Checkpoint: {Markup.Escape(Checkpoint)}");
        console.MarkupLine($"Score it again with the full harness (the same items, per-item rows, more metrics): [bold]./levain eval {Markup.Escape(evalTask)} --model {Markup.Escape(Checkpoint)}[/]");
    }

    public JsonObject ToJson() => new()
    {
        ["trial"] = Trial,
        ["checkpoint"] = Checkpoint,
        ["items"] = Score.Items,
        ["acc"] = Score.Accuracy,
        ["acc_stderr"] = Score.AccuracyStdErr,
        ["chance_acc"] = ChanceAccuracy,
        ["nll_choice"] = Score.NllChoice,
        ["nll_choice_stderr"] = Score.NllChoiceStdErr,
        ["chance_nll"] = Score.ChanceNll,
        ["nll_correct"] = Score.NllCorrect,
    };
}
