using Levain.Core;
using Levain.Cli.Rendering;
using System.CommandLine;
using Levain.Lm.Checkpoints;
using Levain.Lm.FineTuning;
using Levain.Lm.FineTuning.Templates;
using Levain.Lm.Scoring;

namespace Levain.Cli.Commands;

/// <summary>
/// <c>levain chat</c>: talk to a fine-tuned model. Reads one message per line from standard input (a terminal or a
/// pipe), streams the answer token by token through the model's template, and stops at its end marker.
/// </summary>
public static class ChatCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A fine-tuned checkpoint directory, or a LoRA adapter directory (its base is loaded too).", Required = true };
        var template = new Option<string?>("--template") { Description = "Override the model's template.json: dolly, dolly-compact, dolly-eot, chat, or a template JSON file." };
        var system = new Option<string?>("--system") { Description = "A system message (conversation templates only)." };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Longest answer in tokens.", DefaultValueFactory = _ => 256 };
        var temperature = new Option<double>("--temperature") { Description = "0 is greedy (default); above 0 samples from softmax(logits / temperature).", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "Sampling seed (answer n uses seed + n).", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "Torch threads.", DefaultValueFactory = _ => 1 };
        var command = new Command("chat",
            "Chat with a fine-tuned model: type a message and press Enter; the answer streams as it is generated and stops at the template's end marker. " +
            "'/reset' forgets the conversation, '/exit' or end of input (Ctrl-D) quits. Standard input may be a file or a pipe, one message per line.\n\n" +
            "Exit codes: 0 done, 1 failed, 64 bad input (model directory or template).")
        {
            model, template, system, maxTokens, temperature, seed, threads,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(maxTokens) < 1 || parse.GetValue(temperature) < 0 || parse.GetValue(threads) < 1)
            {
                return Fail("--max-tokens and --threads must be at least 1 and --temperature at least 0");
            }
            FineTunedModel loaded;
            ChatSession session;
            try
            {
                loaded = FineTunedModel.Load(parse.GetValue(model)!, parse.GetValue(threads));
                var encoder = loaded.CreateEncoder(parse.GetValue(template) is { } name ? PromptTemplate.Resolve(name) : null);
                session = new ChatSession(CheckpointScorer.ForModel(loaded.Model, loaded.Tokenizer, loaded.ModelId), encoder, parse.GetValue(system));
            }
            catch (Exception e) when (e is InputException or FileNotFoundException or InvalidDataException or DirectoryNotFoundException)
            {
                return Fail(e.Message);
            }
            using (loaded)
            {
                return Loop(session, parse.GetValue(maxTokens), parse.GetValue(temperature), parse.GetValue(seed));
            }
        });
        return command;
    }

    private static int Loop(ChatSession session, int maxTokens, double temperature, int seed)
    {
        bool isInteractive = !Console.IsInputRedirected;
        var output = CliConsole.Out;
        int turn = 0;
        while (true)
        {
            if (isInteractive)
            {
                output.Write("> ");
                output.Flush();
            }
            string? line = Console.In.ReadLine();
            if (line is null || line.Trim() == "/exit")
            {
                return 0;
            }
            if (line.Trim() == "/reset")
            {
                session.Reset();
                continue;
            }
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            session.Respond(line, piece =>
            {
                output.Write(piece);
                output.Flush();
            }, maxTokens, temperature, seed + turn++);
            output.WriteLine();
            output.Flush();
        }
    }

    private static int Fail(string message)
    {
        CliConsole.Error.WriteLine($"levain chat: {message}");
        return 64;
    }
}
