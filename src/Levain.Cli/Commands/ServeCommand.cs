using System.CommandLine;
using Levain.Evals.Serving;
using Levain.Lm.Scoring;
using Levain.Web.Serving;

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
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var command = new Command("serve",
            "Serve a checkpoint over an OpenAI-compatible API (Kestrel) in vLLM's shapes, so lm-eval's local-completions and " +
            "'levain eval --endpoint' can score it: POST /v1/completions (prompt as text or token ids, echo, logprobs with top_logprobs, " +
            "max_tokens, temperature, stop, seed), POST /tokenize and /detokenize, GET /v1/models (with max_model_len), GET /health. " +
            "Concurrent scoring requests are batched; every error is a JSON error body. Runs until Ctrl+C. Prints 'listening on URL' once ready.\n\n" +
            "Exit codes: 0 stopped, 1 could not listen, 2 bad input.")
        {
            checkpoint, host, port, modelName, threads, device,
        };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(checkpoint)!;
            if (!Directory.Exists(path))
            {
                await Console.Error.WriteLineAsync($"error: {path}: checkpoint: no such directory").ConfigureAwait(false);
                return 2;
            }
            if (parse.GetValue(port) is < 0 or > 65535 || parse.GetValue(threads) < 1)
            {
                await Console.Error.WriteLineAsync("error: --port must be 0–65535 and --threads at least 1").ConfigureAwait(false);
                return 2;
            }
            var (loaded, problem) = CheckpointLoading.TryLoad(path, parse.GetValue(threads), parse.GetValue(device));
            if (loaded is null)
            {
                await Console.Error.WriteLineAsync($"error: {problem}").ConfigureAwait(false);
                return 2;
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
                    await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                    return 1;
                }
                await using (server.ConfigureAwait(false))
                {
                    Console.Out.WriteLine($"listening on {new Uri(server.BaseAddress, "v1/completions")} (model {scorer.ModelId}, tokenizer {scorer.TokenizerId}); Ctrl+C stops");
                    Console.Out.Flush();
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
