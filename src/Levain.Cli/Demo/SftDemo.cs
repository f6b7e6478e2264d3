using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Cli.Rendering;
using Levain.Lm.FineTuning.Demo;
using Levain.Lm.Training;
using Spectre.Console;

namespace Levain.Cli.Demo;

/// <summary><c>levain demo --sft</c>: pretrain a small base on code, fine-tune it on generated instructions, show held-out accuracy before vs after.</summary>
internal static class SftDemo
{
    public static int Run(string directory, int threads, bool json)
    {
        var console = CliConsole.Create();
        var options = new InstructionDemoOptions { Directory = directory, Threads = threads };
        var stage = new SyncProgress<string>(message => { if (!json) console.MarkupLine($"[bold]levain demo --sft[/]: {Markup.Escape(message)}"); });
        var progress = new SyncProgress<TrainingProgress>(p =>
        {
            if (!json && (p.Step == p.TotalSteps || p.Step % 100 == 0))
            {
                console.MarkupLine($"  step {p.Step}/{p.TotalSteps}  loss {p.Loss:0.000}  {p.TokensPerSecond:0} tokens/s");
            }
        });
        InstructionDemoResult result;
        try
        {
            result = InstructionDemo.Run(options, stage, progress);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return CliConsole.Fail(e.Message, 1);
        }
        var ft = result.FineTuning;
        if (json)
        {
            var summary = new JsonObject
            {
                ["seconds"] = Math.Round(result.Seconds, 1),
                ["pretrain_seconds"] = Math.Round(result.Pretraining.Seconds, 1),
                ["finetune_seconds"] = Math.Round(ft.Seconds, 1),
                ["params"] = result.Pretraining.Parameters,
                ["train_examples"] = ft.TrainExamples,
                ["held_out_examples"] = ft.HeldOutExamples,
                ["dropped_examples"] = ft.DroppedExamples,
                ["before"] = InstructionScoreRenderer.ToJson(result.Before),
                ["after"] = InstructionScoreRenderer.ToJson(result.After),
                ["data"] = result.DataFile,
                ["base"] = result.BaseDirectory,
                ["model"] = result.FineTunedDirectory,
            };
            CliConsole.Out.WriteLine(summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        console.WriteLine();
        InstructionScoreRenderer.Render(console, result.After, result.Before,
            $"Held-out instructions ({ft.HeldOutExamples} examples about programs never fine-tuned on): base vs fine-tuned");
        var before = result.Before.ExactMatch!;
        var after = result.After.ExactMatch!;
        double se = Math.Sqrt(Math.Pow(before.StandardError ?? 0, 2) + Math.Pow(after.StandardError ?? 0, 2));
        console.MarkupLine($"Exact match {before.Value:P1} → {after.Value:P1} ({(after.Value - before.Value) * 100:+0.0;-0.0} points, {(se > 0 ? (after.Value - before.Value) / se : 0):0.0} standard errors) " +
            $"on {after.Count} generated answers; {ft.TrainExamples} training examples, {ft.DroppedExamples} dropped for length; {result.Seconds:0} s in all " +
            $"(pretraining {result.Pretraining.Seconds:0} s, fine-tuning and evaluation {ft.Seconds:0} s).");
        console.MarkupLine($"Talk to it: [bold]./levain chat --model {Markup.Escape(result.FineTunedDirectory)}[/]");
        return 0;
    }
}
