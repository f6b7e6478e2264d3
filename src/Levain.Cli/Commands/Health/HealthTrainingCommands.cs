using Levain.Core;
using System.CommandLine;
using System.Text.Json.Nodes;
using Levain.Health;
using Levain.Health.Export;
using Levain.Health.Training;
using Spectre.Console;
using Levain.Cli.Rendering;

namespace Levain.Cli.Commands.Health;

/// <summary><c>levain health mfu</c> and <c>levain health stragglers</c> over a training log (CSV or JSONL).</summary>
internal static class HealthTrainingCommands
{
    private const string LogHelp = "Training log: CSV with a header, or JSONL; fields step, rank (optional), step_time (seconds) or step_time_ms, tokens.";

    public static Command CreateMfu()
    {
        var log = new Argument<string>("log") { Description = LogHelp };
        var parameters = new Option<double>("--params") { Description = "Model parameter count N (e.g. 7e9).", Required = true };
        var layers = new Option<int>("--layers") { Description = "Transformer layers L.", Required = true };
        var width = new Option<int>("--d-model") { Description = "Model width d.", Required = true };
        var seq = new Option<int>("--seq-len") { Description = "Sequence length T.", Required = true };
        var peak = new Option<double>("--peak-tflops") { Description = "Peak dense TFLOP/s per GPU at the training precision (H100 SXM bf16: 989).", Required = true };
        var gpus = new Option<int?>("--gpus") { Description = "GPU count (default: one per rank in the log)." };
        var json = HealthOptions.Json();
        var command = new Command("mfu",
            "Model FLOPs utilisation from a training log: tokens/s × (6·N + 12·L·d·T) over peak FLOP/s × GPUs.\n\nExit codes: 0 computed, 64 bad input.")
        { log, parameters, layers, width, seq, peak, gpus, json };
        command.SetAction(parse => HealthOptions.GuardAsync(() =>
        {
            var records = TrainingLogReader.Load(parse.GetValue(log)!);
            var input = new MfuInput(Positive(parse.GetValue(parameters), "--params"), (int)Positive(parse.GetValue(layers), "--layers"),
                (int)Positive(parse.GetValue(width), "--d-model"), (int)Positive(parse.GetValue(seq), "--seq-len"),
                Positive(parse.GetValue(peak), "--peak-tflops") * 1e12, parse.GetValue(gpus) is { } g ? (int)Positive(g, "--gpus") : null);
            var r = MfuCalculator.Compute(records, input);
            if (parse.GetValue(json))
            {
                CliConsole.Out.WriteLine(HealthJson.Serialize(new JsonObject
                {
                    ["mfu"] = r.Mfu, ["tokens_per_second"] = r.TokensPerSecond, ["flops_per_token"] = r.FlopsPerToken,
                    ["achieved_flops_per_second"] = r.AchievedFlopsPerSecond, ["peak_flops_per_second"] = r.PeakFlopsPerSecond,
                    ["steps"] = r.Steps, ["gpus"] = r.Gpus,
                }));
            }
            else
            {
                CliConsole.Out.WriteLine($"MFU {r.Mfu:P1}: {r.TokensPerSecond:N0} tokens/s x {r.FlopsPerToken:E3} FLOP/token = {r.AchievedFlopsPerSecond / 1e12:N1} TFLOP/s of {r.PeakFlopsPerSecond / 1e12:N1} peak ({r.Gpus} GPUs, {r.Steps} steps)");
            }
            return Task.FromResult(0);
        }).GetAwaiter().GetResult());
        return command;
    }

    public static Command CreateStragglers()
    {
        var log = new Argument<string>("log") { Description = LogHelp };
        var z = new Option<double>("--z") { Description = "Robust z-score above which a rank is a straggler.", DefaultValueFactory = _ => 3.5 };
        var drift = new Option<double>("--drift") { Description = "Relative step-time increase over the run that counts as drift.", DefaultValueFactory = _ => 0.10 };
        var json = HealthOptions.Json();
        var command = new Command("stragglers",
            "Ranks whose median step time is far above the median rank (robust z-score with median/MAD), and steady drift of " +
            "step time over the run.\n\nExit codes: 0 none found, 1 stragglers or drift found, 64 bad input.")
        { log, z, drift, json };
        command.SetAction(parse => HealthOptions.GuardAsync(() =>
        {
            var records = TrainingLogReader.Load(parse.GetValue(log)!);
            var r = StragglerDetector.Detect(records, Positive(parse.GetValue(z), "--z"), Positive(parse.GetValue(drift), "--drift"));
            if (parse.GetValue(json))
            {
                CliConsole.Out.WriteLine(HealthJson.Serialize(new JsonObject
                {
                    ["median_step_time_seconds"] = r.MedianStepTimeSeconds, ["mad_seconds"] = r.MadSeconds, ["z_threshold"] = r.ZThreshold,
                    ["stragglers"] = new JsonArray(r.Stragglers.Select(s => (JsonNode?)new JsonObject { ["rank"] = s.Rank, ["median_step_time_seconds"] = s.MedianStepTimeSeconds, ["z"] = s.RobustZ }).ToArray()),
                    ["drift"] = new JsonObject
                    {
                        ["detected"] = r.HasDrift, ["slope_seconds_per_step"] = r.DriftSlopeSecondsPerStep, ["relative"] = r.DriftRelative,
                        ["first_tenth_median_seconds"] = r.FirstTenthMedianSeconds, ["last_tenth_median_seconds"] = r.LastTenthMedianSeconds,
                    },
                }));
            }
            else
            {
                var console = HealthRendering.Console();
                var table = new Table().Border(TableBorder.Simple).Title($"{r.Ranks.Count} ranks, median step {r.MedianStepTimeSeconds:0.000} s, MAD {r.MadSeconds:0.0000} s");
                table.AddColumns("Rank", "Median step (s)", "Robust z", "Straggler");
                foreach (var rank in r.Ranks.OrderByDescending(x => x.RobustZ).Take(20))
                {
                    table.AddRow($"{rank.Rank}", $"{rank.MedianStepTimeSeconds:0.000}", $"{rank.RobustZ:0.0}", rank.IsStraggler ? "[red]yes[/]" : "no");
                }
                console.Write(table);
                console.MarkupLine(r.HasDrift
                    ? $"[yellow]drift: step time rose {r.DriftRelative:P0} over the run ({r.FirstTenthMedianSeconds:0.000} s -> {r.LastTenthMedianSeconds:0.000} s)[/]"
                    : $"no drift ({r.DriftRelative:P1} fitted change over the run)");
            }
            return Task.FromResult(r.Stragglers.Any() || r.HasDrift ? 1 : 0);
        }).GetAwaiter().GetResult());
        return command;
    }

    private static double Positive(double value, string option) =>
        value > 0 && double.IsFinite(value) ? value : throw new InputException("command line", 0, option, $"must be positive, got {value}");
}
