using Levain.Core;
using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Runner.Protocol;
using Levain.Cli.Rendering;
using Levain.Lm.FineTuning;
using Levain.Lm.FineTuning.Lora;
using Levain.Lm.Training;

namespace Levain.Cli.Commands;

/// <summary>
/// <c>levain finetune</c>: instruction tuning from a checkpoint on Dolly or chat JSONL, full or LoRA. Speaks the trial
/// protocol like <c>levain train</c> (LEVAIN_PARAMS in; levain-progress lines, one levain-result line and
/// $LEVAIN_RESULT out), with the held-out response NLL as the metric a study minimises.
/// </summary>
public static class FinetuneCommand
{

    public static Command Create()
    {
        var initFrom = new Option<string>("--init-from") { Description = "The base checkpoint directory (weights and tokenizer are taken from it).", Required = true };
        var data = new Option<string>("--data") { Description = "Training data: JSONL, Dolly lines {instruction, context, response, category} and/or chat lines {messages: [{role, content}]}.", Required = true };
        var output = new Option<string?>("--out") { Description = "Where the fine-tuned checkpoint (or the LoRA adapters) and template.json go." };
        var template = new Option<string?>("--template") { Description = "dolly (default), dolly-compact, dolly-eot, chat, or a template JSON file (see docs/finetune.md)." };
        var epochs = new Option<double?>("--epochs") { Description = "Passes over the training examples (default 2; fractions allowed)." };
        var lr = new Option<double?>("--lr") { Description = "Peak learning rate (default 1e-3; warmup then cosine decay to 10%)." };
        var batch = new Option<int?>("--batch") { Description = "Examples per step (default 16; one example per row)." };
        var warmup = new Option<int?>("--warmup") { Description = "Warmup steps (default 10)." };
        var weightDecay = new Option<double?>("--weight-decay") { Description = "AdamW weight decay on matrices (default 0)." };
        var seed = new Option<int?>("--seed") { Description = "Seed of the example order and the adapter initialisation (default 1)." };
        var threads = new Option<int?>("--threads") { Description = "CPU threads (default 1). With 2 or more, each batch is cut into one slice per thread, trained side by side (not with dropout or LoRA; docs/training.md)." };
        var loraRank = new Option<int?>("--lora-rank") { Description = "Train LoRA adapters of this rank instead of every weight (default 0: full fine-tuning)." };
        var loraAlpha = new Option<double?>("--lora-alpha") { Description = "LoRA alpha; the update is scaled by alpha / rank (default 16)." };
        var loraTargets = new Option<string?>("--lora-targets") { Description = $"Comma-separated projections to adapt (default c_attn; known: {string.Join(", ", LoraOptions.KnownTargets)})." };
        var merge = new Option<bool>("--merge") { Description = "With LoRA: also write the base with the adapters merged in, as a full checkpoint in OUT/merged." };
        var heldOut = new Option<double?>("--held-out") { Description = "Fraction of example groups held out for evaluation, split by hash (default 0.1)." };
        var evalGenerate = new Option<int?>("--eval-generate") { Description = "Held-out examples answered by greedy generation for exact/normalized match (default 64)." };
        var maxNewTokens = new Option<int?>("--max-new-tokens") { Description = "Longest generated answer in evaluation (default 128)." };
        var evalBefore = new Option<bool>("--eval-before") { Description = "Also score the base model on the held-out examples first (before vs after)." };
        var json = new Option<bool>("--json") { Description = "Print only the protocol lines (levain-progress, levain-result), no table." };
        var command = new Command("finetune",
            "Fine-tune a checkpoint on instruction data (loss on response tokens only), full or with LoRA adapters, and score the held-out examples.\n\n" +
            "Prints 'levain-progress {...}' lines, a table of held-out scores per category, and one 'levain-result {\"response_nll\", \"exact_match\", " +
            "\"seconds\", \"flops\", ...}' line; also writes the result JSON to $LEVAIN_RESULT when set, so it can be a trial of 'levain tune'. " +
            $"Settings: defaults < $LEVAIN_PARAMS ({string.Join(", ", FineTuneSettings.Keys)}) < flags.\n\n" +
            "Exit codes: 0 fine-tuned, 1 failed, 64 bad input (data, template, checkpoint or settings; the message names file, line and field).")
        {
            initFrom, data, output, template, epochs, lr, batch, warmup, weightDecay, seed, threads, loraRank, loraAlpha, loraTargets, merge,
            heldOut, evalGenerate, maxNewTokens, evalBefore, json,
        };
        command.SetAction(parse =>
        {
            var spec = new FineTuneSpec
            {
                InitFrom = parse.GetValue(initFrom)!,
                DataFile = parse.GetValue(data)!,
                OutputDirectory = parse.GetValue(output),
                Merge = parse.GetValue(merge),
                EvaluateBefore = parse.GetValue(evalBefore),
            };
            if (TrialProtocolWriter.ParametersFromEnvironment() is { } paramsJson)
            {
                var (fromEnv, problem) = FineTuneSettings.ApplyJson(spec, paramsJson, "LEVAIN_PARAMS");
                if (problem is not null)
                {
                    return Fail(problem);
                }
                spec = fromEnv!;
            }
            var flags = new JsonObject();
            void Flag<T>(Option<T> option, string key, Func<T, JsonNode?> toJson)
            {
                if (parse.GetResult(option) is { Implicit: false } && parse.GetValue(option) is { } value)
                {
                    flags[key] = toJson(value);
                }
            }
            Flag(template, "template", v => v);
            Flag(loraTargets, "lora_targets", v => v);
            foreach (var (option, key) in new[] { (epochs, "epochs"), (lr, "lr"), (weightDecay, "weight_decay"), (loraAlpha, "lora_alpha"), (heldOut, "held_out") })
            {
                Flag(option, key, v => v);
            }
            foreach (var (option, key) in new[] { (batch, "batch"), (warmup, "warmup"), (seed, "seed"), (threads, "threads"), (loraRank, "lora_rank"),
                (evalGenerate, "eval_generate"), (maxNewTokens, "max_new_tokens") })
            {
                Flag(option, key, v => v);
            }
            var (fromFlags, flagProblem) = FineTuneSettings.Apply(spec, flags, "flags");
            if (flagProblem is not null)
            {
                return Fail(flagProblem.Replace("flags: field '", "option '--", StringComparison.Ordinal).Replace('_', '-'));
            }
            spec = fromFlags!;
            if (spec.Merge && spec.Lora is null)
            {
                return Fail("option '--merge': needs --lora-rank (full fine-tuning writes full weights already)");
            }
            return Run(spec, parse.GetValue(json));
        });
        return command;
    }

    private static int Run(FineTuneSpec spec, bool json)
    {
        FineTuneResult result;
        try
        {
            result = FineTuneRun.Run(spec, new SyncProgress<TrainingProgress>(WriteProgress));
        }
        catch (InputException e)
        {
            return Fail(e.Message);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or DirectoryNotFoundException)
        {
            return Fail(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            CliConsole.Error.WriteLine($"levain finetune: {e.Message}");
            return 1;
        }
        if (!json)
        {
            var console = CliConsole.Create();
            InstructionScoreRenderer.Render(console, result.After, result.Before, $"Held-out examples ({result.HeldOutExamples}), template '{result.TemplateName}'");
        }
        TrialProtocolWriter.FromEnvironment(CliConsole.Out).WriteResult(ResultJson(result));
        return 0;
    }

    private static JsonObject ResultJson(FineTuneResult result)
    {
        var after = result.After;
        var json = new JsonObject
        {
            ["response_nll"] = InstructionScoreRenderer.Finite(after.ResponseNll.Value),
            ["response_nll_se"] = InstructionScoreRenderer.Finite(after.ResponseNll.StandardError),
            ["exact_match"] = InstructionScoreRenderer.Finite(after.ExactMatch?.Value),
            ["exact_match_se"] = InstructionScoreRenderer.Finite(after.ExactMatch?.StandardError),
            ["normalized_match"] = InstructionScoreRenderer.Finite(after.NormalizedMatch?.Value),
            ["normalized_match_se"] = InstructionScoreRenderer.Finite(after.NormalizedMatch?.StandardError),
            ["seconds"] = Math.Round(result.Seconds, 3),
            ["flops"] = result.Training.Flops,
            ["tokens"] = result.Training.Tokens,
            ["steps"] = result.Training.Steps,
            ["loss"] = InstructionScoreRenderer.Finite(result.Training.FinalLoss),
            ["trainable_params"] = result.TrainableParameters,
            ["train_examples"] = result.TrainExamples,
            ["held_out_examples"] = result.HeldOutExamples,
            ["dropped_examples"] = result.DroppedExamples,
            ["template"] = result.TemplateName,
            ["held_out"] = InstructionScoreRenderer.ToJson(after),
        };
        if (result.Before is { } before)
        {
            json["before"] = InstructionScoreRenderer.ToJson(before);
        }
        if (result.OutputDirectory is { } output)
        {
            json["checkpoint"] = Path.GetFullPath(output);
        }
        return json;
    }

    private static void WriteProgress(TrainingProgress p)
    {
        var json = new JsonObject
        {
            ["step"] = p.Step,
            ["steps"] = p.TotalSteps,
            ["loss"] = Math.Round(p.Loss, 4),
            ["lr"] = p.LearningRate,
            ["seconds"] = Math.Round(p.Seconds, 3),
        };
        TrialProtocolWriter.WriteProgress(CliConsole.Out, json);
    }

    private static int Fail(string message)
    {
        CliConsole.Error.WriteLine($"levain finetune: {message}");
        return 64;
    }
}
