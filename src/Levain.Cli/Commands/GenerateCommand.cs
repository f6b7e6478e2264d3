using Levain.Core;
using Levain.Cli.Rendering;
using System.CommandLine;
using System.Text.Json.Nodes;
using Levain.Lm.FineTuning;
using Levain.Lm.Scoring;

namespace Levain.Cli.Commands;

/// <summary><c>levain generate --model DIR --prompt TEXT</c>: sample a continuation in-process, without a server.</summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint directory: Levain's, or Hugging Face GPT-2 (model.safetensors + config.json).", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "The text to continue (empty: start after end-of-text).", Required = true };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature; 0 is greedy.", DefaultValueFactory = _ => 0.8 };
        var topK = new Option<int>("--top-k") { Description = "Sample among the K most likely tokens only (0 = all).", DefaultValueFactory = _ => 0 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling: the smallest set of tokens with this total probability (1 = all).", DefaultValueFactory = _ => 1.0 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Tokens to generate at most.", DefaultValueFactory = _ => 64 };
        var stop = new Option<string[]>("--stop") { Description = "Stop before this text (repeatable).", AllowMultipleArgumentsPerToken = false };
        var seed = new Option<int>("--seed") { Description = "Sampling seed (same seed, same text).", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "Torch threads.", DefaultValueFactory = _ => 1 };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var json = new Option<bool>("--json") { Description = "Print {\"text\", \"tokens\", \"finish_reason\", \"model\"} as JSON (with --template also \"template\" and the templated \"prompt\")." };
        var template = GenerateTemplateOption.Create();
        var command = new Command("generate",
            "Continue a prompt with a checkpoint, in-process. Prints the continuation (the prompt is not repeated).\n\n" +
            "Exit codes: 0 generated, 64 bad input.")
        {
            model, prompt, temperature, topK, topP, maxTokens, stop, seed, threads, device, json,
        };
        command.Options.Add(template);
        command.SetAction(parse =>
        {
            double t = parse.GetValue(temperature), p = parse.GetValue(topP);
            int k = parse.GetValue(topK), max = parse.GetValue(maxTokens);
            string? problem = t < 0 || !double.IsFinite(t) ? "option '--temperature': must be 0 or more"
                : k < 0 ? "option '--top-k': must be 0 or more"
                : p <= 0 || p > 1 || double.IsNaN(p) ? "option '--top-p': must be in (0, 1]"
                : max < 0 ? "option '--max-tokens': must be 0 or more"
                : null;
            if (problem is not null)
            {
                return Fail(problem);
            }
            var sampling = new SamplingOptions(t, k, p, parse.GetValue(seed));
            if (parse.GetValue(template) is { } templateName)
            {
                return GenerateTemplated(parse.GetValue(model)!, templateName, parse.GetValue(prompt)!, max, sampling, parse.GetValue(stop) ?? [], parse.GetValue(threads), parse.GetValue(json));
            }
            var (scorer, loadProblem) = CheckpointLoading.TryLoad(parse.GetValue(model)!, parse.GetValue(threads), parse.GetValue(device));
            if (scorer is null)
            {
                return Fail(loadProblem!);
            }
            using (scorer)
            {
                Generation generation = scorer.Generate(parse.GetValue(prompt)!, max, sampling, parse.GetValue(stop) ?? []);
                if (parse.GetValue(json))
                {
                    var result = new JsonObject
                    {
                        ["text"] = generation.Text,
                        ["tokens"] = generation.TokenIds.Count,
                        ["finish_reason"] = generation.FinishReason,
                        ["model"] = scorer.ModelId,
                    };
                    CliConsole.Out.WriteLine(result.ToJsonString());
                }
                else
                {
                    CliConsole.Out.WriteLine(generation.Text);
                }
            }
            return 0;
        });
        return command;
    }

    /// <summary>
    /// <c>--template</c>: the prompt becomes an instruction in the template (special-token markers as their ids, as in
    /// fine-tuning), generation stops at the template's end marker, and LoRA adapters of a fine-tuned checkpoint apply.
    /// </summary>
    private static int GenerateTemplated(string directory, string templateName, string prompt, int maxTokens, SamplingOptions sampling, string[] stops, int threads, bool isJson)
    {
        FineTunedModel loaded;
        (IReadOnlyList<int> Tokens, string Stop) templated;
        try
        {
            loaded = FineTunedModel.Load(directory, threads);
        }
        catch (Exception e) when (e is InputException or FileNotFoundException or InvalidDataException or DirectoryNotFoundException)
        {
            return Fail(e.Message);
        }
        using (loaded)
        {
            try
            {
                templated = GenerateTemplateOption.TemplatedPrompt(templateName, directory, loaded.Tokenizer, prompt)!.Value;
            }
            catch (InputException e)
            {
                return Fail(e.Message);
            }
            using var scorer = CheckpointScorer.ForModel(loaded.Model, loaded.Tokenizer, loaded.ModelId);
            Generation generation = scorer.Generate(templated.Tokens, maxTokens, sampling, [.. stops, templated.Stop]);
            if (isJson)
            {
                CliConsole.Out.WriteLine(new JsonObject
                {
                    ["text"] = generation.Text,
                    ["tokens"] = generation.TokenIds.Count,
                    ["finish_reason"] = generation.FinishReason,
                    ["model"] = scorer.ModelId,
                    ["template"] = templateName,
                    ["prompt"] = loaded.Tokenizer.Decode(templated.Tokens),
                }.ToJsonString());
            }
            else
            {
                CliConsole.Out.WriteLine(generation.Text);
            }
        }
        return 0;
    }

    private static int Fail(string message)
    {
        CliConsole.Error.WriteLine($"levain generate: {message}");
        return 64;
    }
}
