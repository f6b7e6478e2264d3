using System.Text.Json;

namespace Levain.Cli.Tests.Data;

public sealed class TokenizerAndDataCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("levain-tokdata-").FullName;

    [Fact]
    public async Task TrainTokenizer_PrepareData_Train_MismatchedTokenizerFails()
    {
        string corpus = Path.Combine(_directory, "corpus.txt");
        File.WriteAllText(corpus, string.Join("\n\n", Enumerable.Range(0, 300).Select(i => $"Документ {i}: the quick brown fox {i % 17} и ещё текст.")));
        string tok = Path.Combine(_directory, "tok");
        var (exit, stdout, stderr) = await CliRunner.RunAsync("tokenizer", "train", corpus, "--out", tok, "--vocab-size", "400", "--json");
        Assert.True(exit == 0, stderr);
        using (var result = JsonDocument.Parse(stdout))
        {
            Assert.InRange(result.RootElement.GetProperty("vocab_size").GetInt32(), 300, 400); // stops early when no pair occurs twice
        }
        Assert.True(File.Exists(Path.Combine(tok, "tokenizer.json")) && File.Exists(Path.Combine(tok, "tokenizer.tiktoken")));

        (exit, stdout, _) = await CliRunner.RunAsync("tokenizer", "encode", "--tokenizer", tok, "Документ 🙂 ᚠ");
        Assert.Equal(0, exit);
        Assert.Contains("round trip ok", stdout, StringComparison.Ordinal);

        string data = Path.Combine(_directory, "data");
        (exit, _, stderr) = await CliRunner.RunAsync("data", "prepare", "--source", $"text={corpus}", "--split", "paragraph", "--tokenizer", tok, "--out", data);
        Assert.True(exit == 0, stderr);

        (exit, stdout, stderr) = await CliRunner.RunAsync("train", "--data", data, "--steps", "2", "--warmup", "1", "--width", "16", "--depth", "1",
            "--heads", "2", "--context", "16", "--batch", "2", "--val-windows", "4");
        Assert.True(exit == 0, stderr);
        Assert.Contains("\"val_loss_text\":", stdout, StringComparison.Ordinal);

        string other = Path.Combine(_directory, "other");
        await CliRunner.RunAsync("tokenizer", "train", corpus, "--out", other, "--vocab-size", "300", "--json");
        (exit, _, stderr) = await CliRunner.RunAsync("train", "--data", data, "--tokenizer", other, "--steps", "2", "--warmup", "1");
        Assert.Equal(64, exit);
        Assert.Contains($"{other}: tokenizer bpe:", stderr, StringComparison.Ordinal);
        Assert.Contains("does not match the shards of", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenizerTrain_NonUtf8File_ExitTwoNamingFileAndLine()
    {
        string bad = Path.Combine(_directory, "latin1.txt");
        File.WriteAllBytes(bad, [.. "ok\n"u8, 0x63, 0x61, 0x66, 0xE9, 0x0A]);
        var (exit, _, stderr) = await CliRunner.RunAsync("tokenizer", "train", bad, "--out", Path.Combine(_directory, "t"));
        Assert.Equal(64, exit);
        Assert.Equal($"levain tokenizer train: {bad}: line 2: not valid UTF-8 (byte 0xE9 at byte offset 6)", stderr.Trim());
    }

    [Fact]
    public async Task Tune_SimplexMixOverPreparedSources_EachTrialTrainsOnTheSuggestedMix()
    {
        // The data-mix pipe end to end: man pages (troff) and plain text prepared as named sources, a study whose
        // simplex parameter is the mix, trials that are real `levain train` processes (mix from {mix} and LEVAIN_PARAMS).
        string text = Path.Combine(_directory, "text.txt");
        File.WriteAllText(text, string.Join("\n\n", Enumerable.Range(0, 200).Select(i => $"line {i}: the quick brown fox {i % 13}.")));
        string man = Path.Combine(_directory, "man");
        Directory.CreateDirectory(man);
        for (var i = 0; i < 20; i++)
        {
            File.WriteAllText(Path.Combine(man, $"tool{i}.1"), $".TH TOOL{i} 1\n.SH NAME\ntool{i} \\- does thing {i}\n.SH DESCRIPTION\n.B tool{i}\nreads and writes.\n");
        }
        string data = Path.Combine(_directory, "data");
        var (exit, stdout, stderr) = await CliRunner.RunAsync("data", "prepare", "--source", $"text={text}", "--source", $"man={man}",
            "--troff-source", "man", "--split", "paragraph", "--tokenizer", "bytes", "--out", data, "--validation", "0.2", "--json");
        Assert.True(exit == 0, stderr);
        using (var manifest = JsonDocument.Parse(stdout))
        {
            var sources = manifest.RootElement.GetProperty("sources").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
            Assert.Equal(20, sources["man"].GetProperty("train").GetProperty("documents").GetInt64() + sources["man"].GetProperty("validation").GetProperty("documents").GetInt64());
        }
        (exit, _, stderr) = await CliRunner.RunAsync("data", "prepare", "--source", $"text={text}", "--troff-source", "nope", "--tokenizer", "bytes", "--out", data);
        Assert.Equal(64, exit);
        Assert.Contains("'nope' is not one of the sources (text)", stderr, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(_directory, "mix.yaml"), $$"""
            name: mix
            command: ["dotnet", "{{LevainProcess.DllPath}}", "train", "--data", "{{data}}", "--mix", "{mix}", "--steps", "3", "--warmup", "1",
                      "--width", "16", "--depth", "1", "--heads", "2", "--context", "16", "--batch", "2", "--val-windows", "4", "--eval-items", "0"]
            metric: val_loss_text
            cost: flops
            parameters:
              mix: { kind: simplex, choices: [text, man] }
            budget: { trials: 2 }
            workers: 1
            """);
        using var tune = LevainProcess.Start(_directory, "tune", "mix.yaml", "--json");
        Assert.True(await tune.WaitAsync(TimeSpan.FromMinutes(2)) == 0, tune.Stderr + tune.Stdout);
        Assert.Contains("\"succeeded\":2", tune.Stdout, StringComparison.Ordinal);
        var logs = Directory.GetFiles(Path.Combine(_directory, "levain-runs", "mix"), "trial-*.result.json");
        Assert.Equal(2, logs.Length);
        foreach (var log in logs)
        {
            using var result = JsonDocument.Parse(File.ReadAllText(log));
            Assert.True(result.RootElement.GetProperty("val_loss_man").GetDouble() > 0);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
