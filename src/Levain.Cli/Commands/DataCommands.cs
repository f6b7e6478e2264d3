using System.CommandLine;
using System.Text.Json;
using Levain.Cli.Rendering;
using Levain.Lm.Data;
using Levain.Lm.Tokenization;
using Spectre.Console;

namespace Levain.Cli.Commands;

/// <summary><c>levain data prepare</c>: text, folders and JSONL → tokenized shards + manifest.</summary>
public static class DataCommands
{
    private const string ExitCodes = "\n\nExit codes: 0 done, 1 failure (I/O), 64 bad input (a missing, empty, binary or non-UTF-8 file, a bad JSONL line, bad options).";

    public static Command Create()
    {
        var command = new Command("data", "Prepare training data: tokenized shards that 'levain train --data DIR --mix ...' streams." + ExitCodes);
        command.Subcommands.Add(Prepare());
        return command;
    }

    private static Command Prepare()
    {
        var sources = new Option<string[]>("--source") { Description = "NAME=PATH[,PATH...]: a named source of text files, folders or .jsonl files (\"text\" field); repeat for several sources.", Required = true, AllowMultipleArgumentsPerToken = false };
        var tokenizer = new Option<string>("--tokenizer") { Description = "bytes, or a trained tokenizer (DIR, tokenizer.json or .tiktoken).", Required = true };
        var output = new Option<string>("--out") { Description = "Output directory (shards and manifest.json).", Required = true };
        var validation = new Option<double>("--validation") { Description = "Fraction of documents (chosen by a hash of their text) held out for validation.", DefaultValueFactory = _ => 0.05 };
        var split = new Option<string>("--split") { Description = "Documents of plain text files: file (one per file), paragraph (blank-line separated) or line.", DefaultValueFactory = _ => "file" };
        var troff = new Option<bool>("--troff") { Description = "Inputs are man pages (troff, gzip ok): one plain-text document per page." };
        var troffSource = new Option<string[]>("--troff-source") { Description = "NAME: only this source is man pages (troff); repeat for several. The others stay plain text or JSONL." };
        var shardTokens = new Option<long>("--shard-tokens") { Description = "Tokens per shard file.", DefaultValueFactory = _ => 100_000_000 };
        var json = new Option<bool>("--json") { Description = "Print the manifest as JSON." };
        var command = new Command("prepare", "Tokenize named sources into shards (uint16 when the vocabulary fits, else uint32; every document followed by " +
            "end-of-text) and write manifest.json (tokenizer and its hash, documents and tokens per source and split)." + ExitCodes)
        {
            sources, tokenizer, output, validation, split, troff, troffSource, shardTokens, json,
        };
        command.SetAction(parse => TokenizerCommands.Guard("data prepare", () =>
        {
            var specs = new List<DataSourceSpec>();
            foreach (string source in parse.GetValue(sources)!)
            {
                int eq = source.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || eq == source.Length - 1 || !source[..eq].All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                {
                    return CliConsole.Fail($"option '--source': '{source}' is not NAME=PATH[,PATH...] (names: letters, digits, _ and -)", 64);
                }
                specs.Add(new DataSourceSpec(source[..eq], source[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries)));
            }
            if (specs.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count() != specs.Count)
            {
                return CliConsole.Fail("option '--source': source names must be unique", 64);
            }
            var troffSources = (parse.GetValue(troffSource) ?? []).ToHashSet(StringComparer.Ordinal);
            if (troffSources.FirstOrDefault(n => specs.All(s => s.Name != n)) is { } unknownSource)
            {
                return CliConsole.Fail($"option '--troff-source': '{unknownSource}' is not one of the sources ({string.Join(", ", specs.Select(s => s.Name))})", 64);
            }
            if (!Enum.TryParse(parse.GetValue(split), ignoreCase: true, out DocumentSplit documentSplit))
            {
                return CliConsole.Fail($"option '--split': '{parse.GetValue(split)}' is not file, paragraph or line", 64);
            }
            double fraction = parse.GetValue(validation);
            if (fraction is < 0 or >= 1 || parse.GetValue(shardTokens) < 1)
            {
                return CliConsole.Fail("--validation must be in [0, 1) and --shard-tokens at least 1", 64);
            }
            ITextTokenizer tok = TokenizerFiles.Load(parse.GetValue(tokenizer)!);
            bool isJson = parse.GetValue(json);
            // The bar counts input bytes (known before tokenizing); the plain lines stay as scripts read them.
            var totalBytes = specs.SelectMany(s => CorpusFiles.Expand(s.Inputs)).Sum(f => new FileInfo(f).Length);
            var bar = WorkProgress.Start("preparing data", isJson ? 0 : totalBytes);
            var bytesBefore = 0L;
            var currentFile = "";
            var progress = new SyncProgress<DataPrepareProgress>(p =>
            {
                if (isJson) return;
                if (!string.Equals(p.File, currentFile, StringComparison.Ordinal))
                {
                    if (currentFile.Length > 0) bytesBefore += new FileInfo(currentFile).Length;
                    currentFile = p.File;
                }
                bar.Report(bytesBefore, $"{p.Source}: {p.Documents:N0} documents, {p.Tokens:N0} tokens",
                    $"  {p.Source}: {p.Documents:N0} documents, {p.Tokens:N0} tokens ({Path.GetFileName(p.File)})");
            });
            var options = new DataPrepareOptions { ValidationFraction = fraction, Split = documentSplit, IsTroff = parse.GetValue(troff), TroffSources = troffSources, ShardTokens = parse.GetValue(shardTokens) };
            DataManifest manifest;
            try
            {
                manifest = DataPreparer.Prepare(specs, tok, parse.GetValue(output)!, options, progress);
            }
            finally
            {
                bar.Dispose();
            }
            if (isJson)
            {
                CliConsole.Out.WriteLine(File.ReadAllText(Path.Combine(parse.GetValue(output)!, DataManifest.FileName)));
                return 0;
            }
            var console = CliConsole.Create();
            var table = new Table().AddColumns("source", "train docs", "train tokens", "val docs", "val tokens", "shards");
            foreach (DataSource s in manifest.Sources)
            {
                table.AddRow(Markup.Escape(s.Name), $"{s.Train.Documents:N0}", $"{s.Train.Tokens:N0}", $"{s.Validation.Documents:N0}", $"{s.Validation.Tokens:N0}", $"{s.Train.Shards.Count + s.Validation.Shards.Count}");
            }
            console.Write(table);
            console.MarkupLineInterpolated($"tokenizer {manifest.Tokenizer.Id} ({manifest.DType}); wrote {Path.GetFullPath(Path.Combine(parse.GetValue(output)!, DataManifest.FileName))}");
            return 0;
        }));
        return command;
    }
}
