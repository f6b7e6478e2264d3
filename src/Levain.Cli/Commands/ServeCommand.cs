using System.CommandLine;
using Levain.Evals.Serving;
using Levain.Lm.Scoring;
using Levain.Web.Serving;
using Levain.Cli.Rendering;
using Levain.Cli.Contract;

namespace Levain.Cli.Commands;

/// <summary><c>levain serve CHECKPOINT</c>: an OpenAI-compatible /v1/completions endpoint over a Levain checkpoint.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var checkpoint = new Argument<string>("checkpoint") { Description = "A checkpoint directory: Levain's, or Hugging Face GPT-2 (model.safetensors + config.json)." };
        var host = new Option<string>("--host") { Description = "Address to listen on (0.0.0.0 for every interface).", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port (0 picks a free port and prints it).", DefaultValueFactory = _ => 8000 };
        var modelName = new Option<string?>("--model-name") { Description = "The model name clients see (default: the checkpoint's model id)." };
        var threads = new Option<int>("--threads") { Description = "Torch threads.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print {\"url\", \"model\", \"tokenizer\"} as JSON once listening." };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var command = new Command("serve",
            "Serve a checkpoint over an OpenAI-compatible API (Kestrel) in vLLM's shapes, so lm-eval's local-completions and " +
            "'levain eval --endpoint' can score it: POST /v1/completions (prompt as text or token ids, echo, logprobs with top_logprobs, " +
            "max_tokens, temperature, stop, seed), POST /tokenize and /detokenize, GET /v1/models (with max_model_len), GET /health. " +
            "Concurrent scoring requests are batched; every error is a JSON error body. Runs until Ctrl+C. Prints 'listening on URL' once ready.\n\n" +
            ExitCodes.Help + " (1: could not listen)")
        {
            checkpoint, host, port, modelName, threads, device, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(checkpoint)!;
            if (!Directory.Exists(path))
            {
                return CliConsole.BadInput($"{path}: checkpoint: no such directory");
            }
            if (parse.GetValue(port) is < 0 or > 65535 || parse.GetValue(threads) < 1)
            {
                return CliConsole.BadInput("--port must be 0–65535 and --threads at least 1");
            }
            var (loaded, problem) = CheckpointLoading.TryLoad(path, parse.GetValue(threads), parse.GetValue(device));
            if (loaded is null)
            {
                return CliConsole.BadInput(problem!);
            }
            CheckpointScorer scorer = loaded;
            using (scorer)
            {
                CompletionsHost server;
                try
                {
                    server = await CompletionsHost.StartAsync(scorer, new CompletionsServerOptions(parse.GetValue(host)!, parse.GetValue(port), parse.GetValue(modelName)), ct)
                        .ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or FormatException)
                {
                    return CliConsole.Fail($"cannot listen on {parse.GetValue(host)}:{parse.GetValue(port)}: {e.Message}", ExitCodes.Failure);
                }
                await using (server.ConfigureAwait(false))
                {
                    var url = new Uri(server.BaseAddress, "v1/completions");
                    CliConsole.Out.WriteLine(parse.GetValue(json)
                        ? new System.Text.Json.Nodes.JsonObject { ["url"] = url.ToString(), ["model"] = scorer.ModelId, ["tokenizer"] = scorer.TokenizerId }.ToJsonString()
                        : $"listening on {url} (model {scorer.ModelId}, tokenizer {scorer.TokenizerId}); Ctrl+C stops");
                    CliConsole.Out.Flush();
                    try
                    {
                        await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // Ctrl+C: stop serving.
                    }
                }
            }
            return 0;
        });
        return command;
    }
}
