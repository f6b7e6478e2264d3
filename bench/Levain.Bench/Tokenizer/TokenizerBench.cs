using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Lm.Data;
using Levain.Lm.Tokenization;

namespace Levain.Bench.Tokenizer;

/// <summary>
/// <c>./levain bench tokenizer</c>: Levain's BPE trainer against SentencePiece (<c>spm_train --model_type=bpe</c>, Debian
/// package <c>sentencepiece</c>) on the same corpus and vocabulary size in the same run, each in its own process:
/// training wall time and its ratio, peak resident memory (VmHWM, polled), and compression as UTF-8 bytes per token on
/// held-out lines (each line encoded on its own by both). The corpus is real text from Debian packages, no downloads:
/// Russian man pages (<c>manpages-ru</c>, troff converted to plain text) and the English GNU Collaborative International
/// Dictionary (<c>dict-gcide</c>); every 10th line is held out.
/// </summary>
public static class TokenizerBench
{
    public const string Description = "BPE tokenizer training: Levain vs SentencePiece spm_train (time, peak memory, bytes/token held out)";

    private const string Usage = """
        Usage: ./levain bench tokenizer [--vocab N] [--mb N] [--threads N] [--json PATH]
          --vocab N    vocabulary size for both (default 8000)
          --mb N       megabytes of text taken from each source (default 6; man pages stop at what manpages-ru has)
          --threads N  threads for both (default 2)
          --json PATH  also write the results as JSON
        Needs: apt-get install sentencepiece manpages-ru dict-gcide
        Exit codes: 0 done, 1 a side failed, 2 bad arguments or missing packages.
        """;

    private const string ManPages = "/usr/share/man/ru";
    private const string Gcide = "/usr/share/dictd/gcide.dict.dz";

    public static int Run(string[] args)
    {
        if (args.Length >= 1 && args[0] == "--worker")
        {
            return Worker(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture));
        }
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(Usage);
            return 0;
        }
        int vocab = Int(args, "--vocab", 8000), megabytes = Int(args, "--mb", 6), threads = Int(args, "--threads", 2);
        string? jsonPath = Value(args, "--json");
        foreach (string need in new[] { ManPages, Gcide, "/usr/bin/spm_train", "/usr/bin/spm_encode" })
        {
            if (!Path.Exists(need))
            {
                Console.Error.WriteLine($"levain bench tokenizer: {need} not found\n{Usage}");
                return 2;
            }
        }
        string work = Directory.CreateTempSubdirectory("levain-bench-tok-").FullName;
        try
        {
            var (trainFile, heldOutLines, sources) = BuildCorpus(work, megabytes * 1_000_000L);
            Console.WriteLine($"corpus: {sources}; vocabulary {vocab}; {threads} threads");
            string self = typeof(TokenizerBench).Assembly.Location;
            string levainOut = Path.Combine(work, "levain");
            var levain = Measure("levain", Environment.ProcessPath!, [self, "tokenizer", "--worker", trainFile, levainOut, vocab.ToString(CultureInfo.InvariantCulture), threads.ToString(CultureInfo.InvariantCulture)]);
            string spmPrefix = Path.Combine(work, "spm");
            var spm = Measure("spm_train", "/usr/bin/spm_train",
            [
                $"--input={trainFile}", $"--model_prefix={spmPrefix}", $"--vocab_size={vocab}", "--model_type=bpe", "--character_coverage=1.0",
                "--byte_fallback=true", "--normalization_rule_name=identity", "--remove_extra_whitespaces=false", "--input_sentence_size=0",
                "--max_sentence_length=100000", $"--num_threads={threads}", "--minloglevel=2",
            ]);
            if (levain.Failure is not null || spm.Failure is not null)
            {
                Console.Error.WriteLine($"levain: {levain.Failure ?? "ok"}; spm_train: {spm.Failure ?? "ok"}");
                return 1;
            }
            long heldOutBytes = heldOutLines.Sum(l => (long)Encoding.UTF8.GetByteCount(l));
            var tokenizer = (BpeTokenizer)TokenizerFiles.Load(levainOut);
            long levainTokens = heldOutLines.Sum(l => (long)tokenizer.Encode(l).Count);
            long spmTokens = SpmTokens(spmPrefix + ".model", heldOutLines, work);
            double levainBpt = (double)heldOutBytes / levainTokens, spmBpt = (double)heldOutBytes / spmTokens;
            Console.WriteLine();
            Console.WriteLine($"{"side",-12} {"train s",9} {"peak RSS",10} {"tokens",10} {"bytes/token",12}");
            Console.WriteLine($"{"levain",-12} {levain.Seconds,9:F2} {levain.PeakMb,7:F0} MB {levainTokens,10} {levainBpt,12:F3}");
            Console.WriteLine($"{"spm_train",-12} {spm.Seconds,9:F2} {spm.PeakMb,7:F0} MB {spmTokens,10} {spmBpt,12:F3}");
            double speedup = spm.Seconds / levain.Seconds, compression = levainBpt / spmBpt;
            Console.WriteLine($"\nspm_train time / levain time: {speedup:F2}x (target ≥ 1); levain bytes/token / spm: {compression:P1} (target ≥ 98 %)");
            Console.WriteLine($"held-out: {heldOutLines.Count} lines, {heldOutBytes} bytes");
            if (jsonPath is not null)
            {
                var json = new JsonObject
                {
                    ["corpus"] = sources, ["vocab_size"] = vocab, ["threads"] = threads, ["held_out_bytes"] = heldOutBytes,
                    ["levain"] = new JsonObject { ["seconds"] = levain.Seconds, ["peak_rss_mb"] = levain.PeakMb, ["tokens"] = levainTokens, ["bytes_per_token"] = levainBpt },
                    ["spm"] = new JsonObject { ["seconds"] = spm.Seconds, ["peak_rss_mb"] = spm.PeakMb, ["tokens"] = spmTokens, ["bytes_per_token"] = spmBpt },
                    ["speedup_over_spm"] = speedup, ["compression_vs_spm"] = compression,
                };
                File.WriteAllText(jsonPath, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Trains and writes tokenizer.json (runs in its own process so its peak memory is its own).</summary>
    private static int Worker(string trainFile, string outDirectory, int vocab, int threads)
    {
        var options = new BpeTrainerOptions { VocabularySize = vocab, Threads = threads };
        BpeTokenizer tokenizer = BpeTrainer.Train(CorpusText.Chunks([trainFile]), options);
        TokenizerFiles.Save(outDirectory, tokenizer, isJson: true, isTiktoken: false);
        return 0;
    }

    /// <summary>Lines of both sources (up to <paramref name="bytesPerSource"/> each); every 10th line held out.</summary>
    private static (string TrainFile, List<string> HeldOut, string Sources) BuildCorpus(string work, long bytesPerSource)
    {
        var train = new List<string>();
        var heldOut = new List<string>();
        long manBytes = Take(CorpusFiles.Expand([ManPages]).Select(f => TroffText.ToPlainText(TextFileReader.ReadAll(f))), bytesPerSource, train, heldOut);
        long dictBytes = Take(TextFileReader.ReadChunks(Gcide), bytesPerSource, train, heldOut);
        string trainFile = Path.Combine(work, "train.txt");
        File.WriteAllLines(trainFile, train);
        return (trainFile, heldOut, $"manpages-ru {manBytes / 1e6:F1} MB (troff → text) + dict-gcide {dictBytes / 1e6:F1} MB");
    }

    private static long Take(IEnumerable<string> texts, long limit, List<string> train, List<string> heldOut)
    {
        long bytes = 0;
        int n = 0;
        foreach (string text in texts)
        {
            foreach (string line in text.Split('\n'))
            {
                if (line.Trim().Length == 0) continue;
                (n++ % 10 == 9 ? heldOut : train).Add(line);
                bytes += Encoding.UTF8.GetByteCount(line) + 1;
                if (bytes >= limit) return bytes;
            }
        }
        return bytes;
    }

    private static long SpmTokens(string model, List<string> lines, string work)
    {
        string input = Path.Combine(work, "heldout.txt");
        File.WriteAllLines(input, lines);
        var start = new ProcessStartInfo("/usr/bin/spm_encode") { RedirectStandardOutput = true, RedirectStandardInput = false };
        start.ArgumentList.Add($"--model={model}");
        start.ArgumentList.Add("--output_format=id");
        start.ArgumentList.Add(input);
        using var process = Process.Start(start)!;
        long tokens = 0;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            tokens += line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        }
        process.WaitForExit();
        return tokens;
    }

    private static (double Seconds, double PeakMb, string? Failure) Measure(string name, string program, string[] arguments)
    {
        Console.WriteLine($"training {name} ...");
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peakKb = 0;
        while (!process.WaitForExit(20))
        {
            try
            {
                foreach (string line in File.ReadLines($"/proc/{process.Id}/status"))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        peakKb = Math.Max(peakKb, long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
                    }
                }
            }
            catch (IOException)
            {
                // exited between the check and the read
            }
        }
        double seconds = clock.Elapsed.TotalSeconds;
        return process.ExitCode == 0
            ? (seconds, peakKb / 1024.0, null)
            : (seconds, peakKb / 1024.0, $"exit {process.ExitCode}: {stderr.Result.Split('\n').LastOrDefault(l => l.Length > 0)}");
    }

    private static int Int(string[] args, string flag, int fallback) =>
        Value(args, flag) is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0 ? v : fallback;

    private static string? Value(string[] args, string flag)
    {
        int at = Array.IndexOf(args, flag);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
