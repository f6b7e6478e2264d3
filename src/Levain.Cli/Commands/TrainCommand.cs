using Levain.Core;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Runner.Protocol;
using Levain.Lm.Runs;
using Levain.Lm.Training;
using Levain.Cli.Rendering;
using Levain.Cli.Contract;

namespace Levain.Cli.Commands;

/// <summary>
/// <c>levain train</c>: trains a small GPT and reports a trial result (the Levain trial protocol), so it can be the
/// trial program of <c>levain tune</c>. Settings come from defaults, then <c>--config FILE</c>, then the LEVAIN_PARAMS
/// JSON object, then flags (flags win).
/// </summary>
public static class TrainCommand
{

    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "JSON object of settings (keys as the flags without dashes: width, depth, lr, steps, ...)." };
        var data = new Option<string?>("--data") { Description = "Train on this UTF-8 text file, or on a prepared data directory / manifest.json from 'levain data prepare', instead of the built-in code-comprehension task." };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "bytes (default), cl100k_base, o200k_base, or a trained tokenizer (DIR, tokenizer.json or .tiktoken; with a manifest it must match the shards)." };
        var mix = new Option<string?>("--mix") { Description = "With a data manifest: source weights, e.g. web=0.7,code=0.3 (default: proportional to training tokens)." };
        var valWindows = new Option<int?>("--val-windows") { Description = "With a data manifest: fixed validation windows per source (default 64); reports val_loss_<source>." };
        var threads = new Option<int?>("--threads") { Description = "CPU threads (default 1). With 2 or more, each batch is cut into one slice per thread, trained side by side (not with dropout or LoRA; docs/training.md)." };
        var seed = new Option<int?>("--seed") { Description = "Seed for weights, data order and the training stream (default 1)." };
        var steps = new Option<int?>("--steps") { Description = "Optimizer steps (default 200)." };
        var lr = new Option<double?>("--lr") { Description = "Peak learning rate (default 3e-3; linear warmup, cosine decay to 10%)." };
        var width = new Option<int?>("--width") { Description = "Model width n_embd (default 64; rounded up to a multiple of --heads)." };
        var depth = new Option<int?>("--depth") { Description = "Transformer layers n_layer (default 2)." };
        var heads = new Option<int?>("--heads") { Description = "Attention heads n_head (default 4)." };
        var context = new Option<int?>("--context") { Description = "Context length / block size in tokens (default 128)." };
        var batch = new Option<int?>("--batch") { Description = "Sequences per step (default 16)." };
        var warmup = new Option<int?>("--warmup") { Description = "Warmup steps (default 20)." };
        var weightDecay = new Option<double?>("--weight-decay") { Description = "AdamW weight decay on matrices (default 0.1)." };
        var evalItems = new Option<int?>("--eval-items") { Description = "Held-out code-comprehension items to score (default 64; 0 = none)." };
        var evalEvery = new Option<int?>("--eval-every") { Description = "Also score held-out items every K steps (default 0: only after training)." };
        var progressEvery = new Option<int?>("--progress-every") { Description = "Print a levain-progress line every K steps (default 10)." };
        var difficulty = new Option<string?>("--difficulty") { Description = "Code-task difficulty: starter, easy (default), medium or hard (training stream and held-out items)." };
        var followUps = new Option<int?>("--follow-ups") { Description = "Code task: extra '# Value of v: x' answers after each training document's answer (default 3; 0 = one answer per document)." };
        var output = new Option<string?>("--out") { Description = "Write the checkpoint (model.safetensors + config.json, plus optimizer.safetensors + trainer_state.json to resume) to this directory." };
        var initFrom = new Option<string?>("--init-from") { Description = "Start from the weights of this checkpoint directory (Levain, or Hugging Face GPT-2: model.safetensors + config.json); its shape and tokenizer replace --width/--depth/--heads/--tokenizer. New optimizer and schedule." };
        var resume = new Option<string?>("--resume") { Description = "Continue a stopped run exactly: DIR is its --out directory (the newest of DIR and DIR/checkpoints/step-N is used) or one checkpoint. Give the run's original settings; --out defaults to DIR." };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "Also write a resumable checkpoint to OUT/checkpoints/step-N every K steps (atomic; the newest 2 are kept). Needs --out." };
        var device = new Option<string?>("--device") { Description = "cpu (default), cuda or cuda:N (needs the TorchSharp CUDA package: see docs/gpu.md)." };
        var dropout = new Option<double?>("--dropout") { Description = "Dropout on embeddings and residual branches while training (default 0)." };
        var gradAccum = new Option<int?>("--grad-accum") { Description = "Micro-batches of --batch rows per optimizer step (default 1): an effective batch of batch × grad-accum." };
        var json = new Option<bool>("--json") { Description = "Print only the result object as JSON on stdout (progress lines go to stderr)." };

        var command = new Command("train",
            "Train a small GPT (TorchSharp, CPU) and report a trial result.\n\n" +
            "Prints 'levain-progress {...}' lines while training and one 'levain-result {\"nll_correct\", \"acc\", \"tokens\", \"seconds\", \"flops\", \"params\", ...}' " +
            "line at the end; also writes the result JSON to $LEVAIN_RESULT when set. Settings: defaults < --config < $LEVAIN_PARAMS < flags.\n\n" +
            ExitCodes.Help)
        {
            config, data, tokenizer, threads, seed, steps, lr, width, depth, heads, context, batch, warmup, weightDecay,
            evalItems, evalEvery, progressEvery, output, difficulty, followUps,
            initFrom, resume, checkpointEvery, device, dropout, gradAccum, json, mix, valWindows,
        };
        command.SetAction(parse =>
        {
            var spec = new TrainRunSpec();
            if (parse.GetValue(config) is { } configFile)
            {
                if (!configFile.Exists)
                {
                    return Fail($"{configFile.FullName}: file not found");
                }
                var fromFile = TrainRunSettings.ApplyJson(spec, File.ReadAllText(configFile.FullName), configFile.FullName, validate: false);
                if (fromFile.IsFailure)
                {
                    return Fail(fromFile.Problem!);
                }
                spec = fromFile.Spec!;
            }
            if (TrialProtocolWriter.ParametersFromEnvironment() is { } paramsJson)
            {
                var fromEnv = TrainRunSettings.ApplyJson(spec, paramsJson, "LEVAIN_PARAMS", validate: false);
                if (fromEnv.IsFailure)
                {
                    return Fail(fromEnv.Problem!);
                }
                spec = fromEnv.Spec!;
            }
            var flags = new JsonObject();
            void Flag<T>(Option<T> option, string key, Func<T, JsonNode?> toJson)
            {
                if (parse.GetResult(option) is { Implicit: false } && parse.GetValue(option) is { } value)
                {
                    flags[key] = toJson(value);
                }
            }
            Flag(data, "data", v => v);
            Flag(tokenizer, "tokenizer", v => v);
            Flag(output, "out", v => v);
            Flag(difficulty, "difficulty", v => v);
            Flag(initFrom, "init_from", v => v);
            Flag(resume, "resume", v => v);
            Flag(device, "device", v => v);
            Flag(dropout, "dropout", v => v);
            Flag(gradAccum, "grad_accum", v => v);
            Flag(checkpointEvery, "checkpoint_every", v => v);
            Flag(mix, "mix", v => v);
            Flag(valWindows, "val_windows", v => v);
            foreach (var (option, key) in new[] { (threads, "threads"), (seed, "seed"), (steps, "steps"), (width, "width"), (depth, "depth"),
                (heads, "heads"), (context, "context"), (batch, "batch"), (warmup, "warmup"), (evalItems, "eval_items"),
                (evalEvery, "eval_every"), (progressEvery, "progress_every"), (followUps, "follow_ups") })
            {
                Flag(option, key, v => v);
            }
            Flag(lr, "lr", v => v);
            Flag(weightDecay, "weight_decay", v => v);
            var fromFlags = TrainRunSettings.Apply(spec, flags, "flags", key => null);
            if (fromFlags.IsFailure)
            {
                return Fail(fromFlags.Problem!.Replace("flags: field '", "option '--", StringComparison.Ordinal).Replace('_', '-'));
            }
            spec = fromFlags.Spec!;
            if (spec.DataFile is not null && !File.Exists(spec.DataFile) && !Directory.Exists(spec.DataFile))
            {
                return Fail($"{spec.DataFile}: data file not found");
            }
            if (Levain.Lm.Training.ComputeDevice.TryParse(spec.Device).Problem is { } deviceProblem)
            {
                return Fail($"option '--device': {deviceProblem}");
            }
            return Run(spec, parse.GetValue(json));
        });
        return command;
    }

    private static int Run(TrainRunSpec spec, bool isJson)
    {
        TrainRunResult result;
        try
        {
            // On a terminal (and not --json) a live bar replaces the levain-progress lines, which are for programs.
            var bar = isJson ? null : WorkProgress.Start("training", spec.Training.Steps);
            try
            {
                result = TrainingRun.Run(spec, new LineProgress(p =>
                {
                    if (bar is { IsLive: true }) bar.Report(p.Step, $"step {p.Step:N0}/{p.TotalSteps:N0} loss {p.Loss:F4} {p.TokensPerSecond:N0} tok/s", null);
                    else WriteProgress(p, isJson ? CliConsole.Error : CliConsole.Out);
                }));
            }
            finally
            {
                bar?.Dispose();
            }
        }
        catch (ArgumentException e) when (spec.DataFile is not null)
        {
            return Fail(e.Message.Split(" (Parameter")[0]);
        }
        catch (InputException e)
        {
            return Fail(e.Message);
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException or DirectoryNotFoundException)
        {
            return Fail(e.Message); // a checkpoint directory given by --init-from or --resume
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return CliConsole.Fail(e.Message, ExitCodes.Failure);
        }
        var json = new JsonObject
        {
            ["nll_correct"] = Finite(result.NllCorrect),
            ["acc"] = Finite(result.Accuracy),
            ["tokens"] = result.Tokens,
            ["seconds"] = Round(result.Seconds, 3),
            ["flops"] = result.Flops,
            ["params"] = result.Parameters,
            ["loss"] = Finite(result.FinalLoss),
            ["train_seconds"] = Round(result.TrainSeconds, 3),
            ["tokens_per_s"] = Round(result.TokensPerSecond, 1),
            ["mfu"] = Round(result.Mfu, 4),
            ["chance_nll"] = Finite(result.ChanceNll),
            ["eval_items"] = result.EvalItems,
            ["width"] = result.Width,
            ["tokenizer"] = result.TokenizerId,
        };
        if (result.ValidationLoss is { } validationLoss)
        {
            json["val_loss"] = Finite(validationLoss);
        }
        foreach (var (source, loss) in result.SourceLosses ?? new Dictionary<string, double>())
        {
            json[$"val_loss_{source}"] = Finite(loss);
        }
        if (result.CheckpointDirectory is { } checkpoint)
        {
            json["checkpoint"] = Path.GetFullPath(checkpoint);
        }
        TrialProtocolWriter.FromEnvironment(CliConsole.Out).WriteResult(json, isBare: isJson);
        return 0;
    }

    private static void WriteProgress(TrainingProgress p, TextWriter writer)
    {
        var json = new JsonObject
        {
            ["step"] = p.Step,
            ["steps"] = p.TotalSteps,
            ["loss"] = Round(p.Loss, 4),
            ["lr"] = p.LearningRate,
            ["tokens_per_s"] = Round(p.TokensPerSecond, 1),
            ["mfu"] = Round(p.Mfu, 4),
            ["seconds"] = Round(p.Seconds, 3),
            ["flops"] = p.Flops,
        };
        foreach (var (key, value) in p.Metrics ?? new Dictionary<string, double>())
        {
            json[key] = Finite(value);
        }
        TrialProtocolWriter.WriteProgress(writer, json);
    }

    private static JsonNode? Finite(double? value) => value is double d && double.IsFinite(d) ? JsonValue.Create(Math.Round(d, 6)) : null;

    private static double Round(double value, int digits) => double.IsFinite(value) ? Math.Round(value, digits) : 0;

    private static int Fail(string message)
    {
        return CliConsole.BadInput(message);
    }

    /// <summary>Reports on the training thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class LineProgress(Action<TrainingProgress> write) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => write(value);
    }
}
