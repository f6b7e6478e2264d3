using Levain.Core;
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Cli.Rendering;
using Levain.Lm.Data;
using Levain.Lm.Tokenization;
using Spectre.Console;

namespace Levain.Cli.Commands;

/// <summary><c>levain tokenizer train|encode|stats</c>: byte-level BPE tokenizers for your own text.</summary>
public static class TokenizerCommands
{
    private const string ExitCodes = "\n\nExit codes: 0 done, 1 failure (I/O), 64 bad input (a missing, empty, binary or non-UTF-8 file, bad options).";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var command = new Command("tokenizer", "Train, apply and measure byte-level BPE tokenizers (Hugging Face tokenizer.json and .tiktoken output)." + ExitCodes);
        command.Subcommands.Add(Train());
        command.Subcommands.Add(Encode());
        command.Subcommands.Add(Stats());
        return command;
    }

    private static Command Train()
    {
        var inputs = new Argument<string[]>("inputs") { Description = "UTF-8 text files and folders (recursively; .gz files are decompressed).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Directory for tokenizer.json and/or tokenizer.tiktoken.", Required = true };
        var vocabSize = new Option<int>("--vocab-size") { Description = "Total vocabulary: 256 bytes + merges + special tokens.", DefaultValueFactory = _ => 8192 };
        var minFrequency = new Option<long>("--min-frequency") { Description = "Stop merging when the best pair occurs fewer times.", DefaultValueFactory = _ => 2 };
        var pattern = new Option<string>("--pattern") { Description = "Pre-tokenizer: gpt2, cl100k or a .NET regular expression (written verbatim to tokenizer.json).", DefaultValueFactory = _ => "gpt2" };
        var specials = new Option<string[]>("--special") { Description = "Special tokens (repeatable); the first is end-of-text unless --end-of-text says otherwise. Default <|endoftext|>.", AllowMultipleArgumentsPerToken = true };
        var endOfText = new Option<string?>("--end-of-text") { Description = "Which special token separates documents (default: the first)." };
        var format = new Option<string>("--format") { Description = "json (tokenizer.json), tiktoken (ranks file) or both.", DefaultValueFactory = _ => "both" };
        var troff = new Option<bool>("--troff") { Description = "Inputs are man pages (troff, e.g. /usr/share/man/ru): train on their plain text." };
        var threads = new Option<int>("--threads") { Description = "Threads for counting words.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var command = new Command("train", "Train a byte-level BPE tokenizer: regex pre-tokenisation, incremental pair counts with a priority queue, " +
            "byte fallback (every input round-trips). Streams the inputs; memory grows with the number of distinct words." + ExitCodes)
        {
            inputs, output, vocabSize, minFrequency, pattern, specials, endOfText, format, troff, threads, json,
        };
        command.SetAction(parse =>
        {
            string[] specialTokens = parse.GetValue(specials) is { Length: > 0 } given ? given : [BpeTokenizer.DefaultEndOfText];
            var options = new BpeTrainerOptions
            {
                VocabularySize = parse.GetValue(vocabSize),
                MinFrequency = parse.GetValue(minFrequency),
                Pattern = parse.GetValue(pattern)!,
                SpecialTokens = specialTokens,
                EndOfText = parse.GetValue(endOfText) ?? specialTokens[0],
                Threads = parse.GetValue(threads),
            };
            string formatName = parse.GetValue(format)!;
            if (formatName is not ("json" or "tiktoken" or "both"))
            {
                return CliConsole.Fail($"option '--format': '{formatName}' is not json, tiktoken or both", 64);
            }
            try
            {
                options.Validate();
                PreTokenizerPatterns.Compile(PreTokenizerPatterns.Resolve(options.Pattern));
            }
            catch (ArgumentException e)
            {
                return CliConsole.Fail($"{e.Message.Split(" (Parameter")[0]}", 64);
            }
            return Guard("tokenizer train", () =>
            {
                var files = CorpusFiles.Expand(parse.GetValue(inputs)!);
                bool isJson = parse.GetValue(json);
                long started = Stopwatch.GetTimestamp();
                BpeTokenizer tokenizer;
                using (var bar = WorkProgress.Start("training tokenizer", options.VocabularySize))
                {
                    var progress = new SyncProgress<BpeTrainingProgress>(p =>
                    {
                        if (!isJson) bar.Report(256 + p.Merges, $"merges {p.Merges:N0}/{p.TargetMerges:N0}", $"  merges {p.Merges}/{p.TargetMerges} (last pair count {p.LastCount})");
                    });
                    tokenizer = BpeTrainer.Train(CorpusText.Chunks(files, parse.GetValue(troff)), options, progress);
                }
                double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                var written = TokenizerFiles.Save(parse.GetValue(output)!, tokenizer, formatName != "tiktoken", formatName != "json");
                var result = new JsonObject
                {
                    ["id"] = tokenizer.Id,
                    ["vocab_size"] = tokenizer.VocabularySize,
                    ["requested_vocab_size"] = options.VocabularySize,
                    ["special_tokens"] = new JsonArray([.. tokenizer.SpecialTokens.Select(s => (JsonNode)s)]),
                    ["end_of_text_id"] = tokenizer.EndOfTextId,
                    ["files"] = files.Count,
                    ["seconds"] = Math.Round(seconds, 3),
                    ["written"] = new JsonArray([.. written.Select(w => (JsonNode)Path.GetFullPath(w))]),
                };
                if (isJson)
                {
                    CliConsole.Out.WriteLine(result.ToJsonString(Indented));
                    return 0;
                }
                var console = CliConsole.Create();
                console.MarkupLineInterpolated($"Trained [bold]{tokenizer.Id}[/]: {tokenizer.VocabularySize} tokens ({tokenizer.RegularCount - 256} merges, {tokenizer.SpecialTokens.Count} special) from {files.Count} files in {seconds:F1} s");
                if (tokenizer.VocabularySize < options.VocabularySize)
                {
                    console.MarkupLineInterpolated($"[yellow]stopped early: no pair occurs {options.MinFrequency} times or more[/]");
                }
                foreach (string path in written)
                {
                    console.MarkupLineInterpolated($"  wrote {Path.GetFullPath(path)}");
                }
                return 0;
            });
        });
        return command;
    }

    private static Command Encode()
    {
        var tokenizerOption = new Option<string>("--tokenizer") { Description = "bytes, a directory, a tokenizer.json or a .tiktoken file.", Required = true };
        var text = new Argument<string?>("text") { Description = "Text to encode (or use --file).", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<string?>("--file") { Description = "Encode this UTF-8 file instead." };
        var json = new Option<bool>("--json") { Description = "Print {\"ids\": [...], \"tokens\": [...]} as JSON." };
        var command = new Command("encode", "Encode text and show the ids and the token pieces; checks that decoding gives the input back." + ExitCodes)
        {
            tokenizerOption, text, file, json,
        };
        command.SetAction(parse => Guard("tokenizer encode", () =>
        {
            string? input = parse.GetValue(text);
            if (parse.GetValue(file) is { } path)
            {
                input = TextFileReader.ReadAll(path);
            }
            if (input is null)
            {
                return CliConsole.Fail("give TEXT or --file FILE", 64);
            }
            ITextTokenizer tokenizer = TokenizerFiles.Load(parse.GetValue(tokenizerOption)!);
            IReadOnlyList<int> ids = tokenizer.Encode(input);
            var pieces = ids.Select(id => Piece(tokenizer, id)).ToList();
            bool isRoundTrip = tokenizer.Decode(ids) == input;
            if (parse.GetValue(json))
            {
                CliConsole.Out.WriteLine(new JsonObject
                {
                    ["tokenizer"] = tokenizer.Id,
                    ["ids"] = new JsonArray([.. ids.Select(i => (JsonNode)i)]),
                    ["tokens"] = new JsonArray([.. pieces.Select(p => (JsonNode)p)]),
                    ["bytes"] = System.Text.Encoding.UTF8.GetByteCount(input),
                    ["round_trip"] = isRoundTrip,
                }.ToJsonString(Indented));
            }
            else
            {
                CliConsole.Out.WriteLine(string.Join(' ', ids));
                CliConsole.Out.WriteLine(string.Join('|', pieces));
                CliConsole.Out.WriteLine($"{ids.Count} tokens, {System.Text.Encoding.UTF8.GetByteCount(input)} bytes, round trip {(isRoundTrip ? "ok" : "FAILED")}");
            }
            return isRoundTrip ? 0 : 1;
        }));
        return command;
    }

    private static Command Stats()
    {
        var tokenizerOption = new Option<string>("--tokenizer") { Description = "bytes, a directory, a tokenizer.json or a .tiktoken file.", Required = true };
        var inputs = new Argument<string[]>("inputs") { Description = "UTF-8 text files and folders to measure on (held-out text).", Arity = ArgumentArity.OneOrMore };
        var troff = new Option<bool>("--troff") { Description = "Inputs are man pages (troff): measure their plain text." };
        var top = new Option<int>("--top") { Description = "Show the N most frequent tokens.", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "Print the statistics as JSON." };
        var command = new Command("stats", "Compression and vocabulary use on text: UTF-8 bytes and characters per token, share of the vocabulary used, " +
            "share of tokens that are lone bytes of multi-byte characters (byte fallback), most frequent tokens." + ExitCodes)
        {
            tokenizerOption, inputs, troff, top, json,
        };
        command.SetAction(parse => Guard("tokenizer stats", () =>
        {
            ITextTokenizer tokenizer = TokenizerFiles.Load(parse.GetValue(tokenizerOption)!);
            var files = CorpusFiles.Expand(parse.GetValue(inputs)!);
            var counts = new long[tokenizer.VocabularySize];
            long bytes = 0, chars = 0, tokens = 0, fallback = 0;
            foreach (string chunk in CorpusText.Chunks(files, parse.GetValue(troff)))
            {
                bytes += System.Text.Encoding.UTF8.GetByteCount(chunk);
                chars += chunk.Length;
                foreach (int id in tokenizer.Encode(chunk))
                {
                    tokens++;
                    counts[id]++;
                    if (IsLoneHighByte(tokenizer, id)) fallback++;
                }
            }
            int used = counts.Count(c => c > 0);
            var topTokens = Enumerable.Range(0, counts.Length).OrderByDescending(i => counts[i]).Take(parse.GetValue(top)).Where(i => counts[i] > 0).ToList();
            double bytesPerToken = tokens == 0 ? 0 : (double)bytes / tokens;
            if (parse.GetValue(json))
            {
                CliConsole.Out.WriteLine(new JsonObject
                {
                    ["tokenizer"] = tokenizer.Id, ["vocab_size"] = tokenizer.VocabularySize, ["files"] = files.Count, ["bytes"] = bytes,
                    ["chars"] = chars, ["tokens"] = tokens, ["bytes_per_token"] = Math.Round(bytesPerToken, 4),
                    ["chars_per_token"] = tokens == 0 ? 0 : Math.Round((double)chars / tokens, 4), ["vocab_used"] = used,
                    ["byte_fallback_share"] = tokens == 0 ? 0 : Math.Round((double)fallback / tokens, 6),
                    ["top"] = new JsonArray([.. topTokens.Select(i => (JsonNode)new JsonObject { ["id"] = i, ["token"] = Piece(tokenizer, i), ["count"] = counts[i] })]),
                }.ToJsonString(Indented));
                return 0;
            }
            var console = CliConsole.Create();
            var table = new Table().AddColumns("measure", "value");
            table.AddRow("tokenizer", Markup.Escape(tokenizer.Id));
            table.AddRow("files / bytes / tokens", $"{files.Count} / {bytes:N0} / {tokens:N0}");
            table.AddRow("UTF-8 bytes per token", $"{bytesPerToken:F3}");
            table.AddRow("characters per token", $"{(tokens == 0 ? 0 : (double)chars / tokens):F3}");
            table.AddRow("vocabulary used", $"{used:N0} of {tokenizer.VocabularySize:N0} ({(double)used / tokenizer.VocabularySize:P1})");
            table.AddRow("byte-fallback tokens", $"{(tokens == 0 ? 0 : (double)fallback / tokens):P3}");
            console.Write(table);
            var topTable = new Table().AddColumns("id", "token", "count");
            foreach (int i in topTokens)
            {
                topTable.AddRow(i.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(Piece(tokenizer, i)), counts[i].ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
            }
            console.Write(topTable);
            return 0;
        }));
        return command;
    }

    /// <summary>A token shown as text; bytes that are not whole UTF-8 characters as &lt;0xHH&gt;.</summary>
    internal static string Piece(ITextTokenizer tokenizer, int id)
    {
        if (tokenizer is BpeTokenizer bpe && !bpe.IsSpecial(id))
        {
            ReadOnlySpan<byte> bytes = bpe.TokenBytes(id);
            return System.Text.Unicode.Utf8.IsValid(bytes) ? Visible(System.Text.Encoding.UTF8.GetString(bytes)) : string.Concat(bytes.ToArray().Select(b => $"<0x{b:X2}>"));
        }
        return Visible(tokenizer.Decode([id]));

        static string Visible(string text) => text.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
    }

    private static bool IsLoneHighByte(ITextTokenizer tokenizer, int id) =>
        tokenizer is BpeTokenizer bpe ? !bpe.IsSpecial(id) && bpe.TokenBytes(id) is { Length: 1 } b && b[0] >= 0x80 : id is >= 0x80 and < 256 && tokenizer is ByteTokenizer;

    /// <summary>Runs an action; bad input → exit 2 with its one-line message, I/O failures → exit 1.</summary>
    internal static int Guard(string command, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (InputException e)
        {
            return CliConsole.Fail($"{e.Message}", 64);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return CliConsole.Fail($"{e.Message}", 1);
        }
    }
}
