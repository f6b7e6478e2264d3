using Levain.Cli.Rendering;
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Levain.Lm.Scoring;

namespace Levain.Cli.Commands;

/// <summary><c>levain score --model DIR FILE...</c>: per-document NLL, perplexity and bits per byte, in-process.</summary>
public static class ScoreCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "Text files (one document each) or .jsonl files (one document per line, field 'text').", Arity = ArgumentArity.OneOrMore };
        var model = new Option<string>("--model") { Description = "Checkpoint directory: Levain's, or Hugging Face GPT-2 (model.safetensors + config.json).", Required = true };
        var threads = new Option<int>("--threads") { Description = "Torch threads.", DefaultValueFactory = _ => 1 };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var json = new Option<bool>("--json") { Description = "Print JSON: {\"model\", \"documents\": [{\"id\", \"tokens\", \"bytes\", \"nll\", \"nll_per_token\", \"perplexity\", \"bits_per_byte\"}], \"total\"}." };
        var command = new Command("score",
            "Score documents with a checkpoint: negative log-likelihood (nats) of every token after an end-of-text start, with " +
            "rolling windows past the context; per token, as perplexity, and in bits per UTF-8 byte (comparable across tokenizers).\n\n" +
            "Exit codes: 0 scored, 64 bad input (missing, empty, binary or non-UTF-8 file; bad JSONL line; bad checkpoint).")
        {
            files, model, threads, device, json,
        };
        command.SetAction(parse =>
        {
            var documents = new List<(string Id, string Text)>();
            foreach (string file in parse.GetValue(files)!)
            {
                try
                {
                    documents.AddRange(ScoredDocuments.Read(file));
                }
                catch (Exception e) when (e is FileNotFoundException or InvalidDataException or IOException or UnauthorizedAccessException)
                {
                    return Fail(e.Message);
                }
            }
            var (scorer, problem) = CheckpointLoading.TryLoad(parse.GetValue(model)!, parse.GetValue(threads), parse.GetValue(device));
            if (scorer is null)
            {
                return Fail(problem!);
            }
            using (scorer)
            {
                IReadOnlyList<DocumentScore> scores = ScoredDocuments.Score(scorer, documents);
                DocumentScore total = DocumentScore.Total(scores);
                if (parse.GetValue(json))
                {
                    var result = new JsonObject
                    {
                        ["model"] = scorer.ModelId,
                        ["tokenizer"] = scorer.TokenizerId,
                        ["documents"] = new JsonArray([.. scores.Select(s => (JsonNode)ToJson(s))]),
                        ["total"] = ToJson(total),
                    };
                    CliConsole.Out.WriteLine(result.ToJsonString());
                    return 0;
                }
                CliConsole.Out.WriteLine($"{"document",-40} {"tokens",8} {"bytes",8} {"nll/token",10} {"ppl",10} {"bits/byte",10}");
                foreach (DocumentScore s in scores.Append(total))
                {
                    string id = s.Id.Length > 40 ? "…" + s.Id[^39..] : s.Id;
                    CliConsole.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{id,-40} {s.Tokens,8} {s.Bytes,8} {s.NllPerToken,10:F4} {s.Perplexity,10:F3} {s.BitsPerByte,10:F4}"));
                }
            }
            return 0;
        });
        return command;
    }

    private static JsonObject ToJson(DocumentScore s) => new()
    {
        ["id"] = s.Id,
        ["tokens"] = s.Tokens,
        ["bytes"] = s.Bytes,
        ["nll"] = Finite(s.Nll),
        ["nll_per_token"] = Finite(s.NllPerToken),
        ["perplexity"] = Finite(s.Perplexity),
        ["bits_per_byte"] = Finite(s.BitsPerByte),
    };

    private static JsonNode? Finite(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    private static int Fail(string message)
    {
        CliConsole.Error.WriteLine($"levain score: {message}");
        return 64;
    }
}
