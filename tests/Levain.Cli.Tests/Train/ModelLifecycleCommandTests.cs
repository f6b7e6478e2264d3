using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Levain.Cli.Tests.Train;

/// <summary>train → checkpoint export → generate / score / train --init-from on both layouts; resume after SIGKILL; bad input.</summary>
public sealed class ModelLifecycleCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"levain-lifecycle-{Guid.NewGuid():N}");

    public ModelLifecycleCommandTests() => Directory.CreateDirectory(_directory);

    private static readonly string[] TinyTrain = Tiny();

    private static string[] Tiny(string steps = "6", string width = "16") =>
        ["train", "--steps", steps, "--width", width, "--depth", "1", "--heads", "2", "--context", "32", "--batch", "2", "--warmup", "1", "--eval-items", "0"];

    [Fact]
    public async Task ExportedCheckpoint_GenerateScoreAndInitFrom_BehaveAsTheOriginal()
    {
        string levain = Path.Combine(_directory, "levain");
        string hf = Path.Combine(_directory, "hf");
        var (exit, _, stderr) = await CliRunner.RunAsync([.. TinyTrain, "--out", levain]);
        Assert.True(exit == 0, stderr);
        (exit, _, stderr) = await CliRunner.RunAsync("checkpoint", "export", levain, "--out", hf);
        Assert.True(exit == 0, stderr);
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(hf, "config.json"))))
        {
            Assert.Equal("gpt2", config.RootElement.GetProperty("model_type").GetString());
        }

        string[] generate = ["generate", "--prompt", "x = 1\n", "--max-tokens", "12", "--temperature", "0.9", "--top-k", "20", "--top-p", "0.9", "--seed", "3", "--json"];
        var (e1, fromLevain, err1) = await CliRunner.RunAsync([.. generate, "--model", levain]);
        var (e2, fromHf, err2) = await CliRunner.RunAsync([.. generate, "--model", hf]);
        Assert.True(e1 == 0 && e2 == 0, err1 + err2);
        using (var a = JsonDocument.Parse(fromLevain))
        using (var b = JsonDocument.Parse(fromHf))
        {
            Assert.Equal(a.RootElement.GetProperty("text").GetString(), b.RootElement.GetProperty("text").GetString());
            Assert.Contains(a.RootElement.GetProperty("finish_reason").GetString(), new[] { "length", "eos" });
        }

        string text = Path.Combine(_directory, "doc.txt");
        File.WriteAllText(text, "y = 2\nfor i in range(3):\n    y = y + i\nprint(y)\n");
        string jsonl = Path.Combine(_directory, "docs.jsonl");
        File.WriteAllText(jsonl, "{\"text\": \"a = 1\\n\"}\n\n{\"id\": \"second\", \"text\": \"print(a)\\n\"}\n");
        var (s1, scoreLevain, serr1) = await CliRunner.RunAsync("score", "--model", levain, text, jsonl, "--json");
        var (s2, scoreHf, serr2) = await CliRunner.RunAsync("score", "--model", hf, text, jsonl, "--json");
        Assert.True(s1 == 0 && s2 == 0, serr1 + serr2);
        using (var a = JsonDocument.Parse(scoreLevain))
        using (var b = JsonDocument.Parse(scoreHf))
        {
            var docs = a.RootElement.GetProperty("documents").EnumerateArray().ToList();
            Assert.Equal(3, docs.Count);
            Assert.Equal("second", docs[2].GetProperty("id").GetString());
            JsonElement first = docs[0];
            int bytes = Encoding.UTF8.GetByteCount(File.ReadAllText(text));
            Assert.Equal(bytes, first.GetProperty("bytes").GetInt32());
            Assert.Equal(bytes, first.GetProperty("tokens").GetInt32()); // byte tokenizer
            double nll = first.GetProperty("nll").GetDouble();
            Assert.Equal(nll / bytes, first.GetProperty("nll_per_token").GetDouble(), 9);
            Assert.Equal(Math.Exp(nll / bytes), first.GetProperty("perplexity").GetDouble(), 6);
            Assert.Equal(nll / Math.Log(2) / bytes, first.GetProperty("bits_per_byte").GetDouble(), 9);
            Assert.InRange(nll / bytes, 0.5, 8);
            Assert.Equal(a.RootElement.GetProperty("total").GetProperty("nll").GetDouble(), b.RootElement.GetProperty("total").GetProperty("nll").GetDouble(), 4);
        }

        var (i1, initOut, ierr) = await CliRunner.RunAsync([.. Tiny(width: "64"), "--init-from", hf, "--out", Path.Combine(_directory, "fine")]);
        Assert.True(i1 == 0, ierr);
        Assert.Contains("\"width\":16", initOut, StringComparison.Ordinal); // the checkpoint's shape, not --width
    }

    [Fact]
    public async Task Train_KilledWithSigkill_ResumesToTheSameWeights()
    {
        string levainDll = Path.Combine(AppContext.BaseDirectory, "levain.dll");
        Assert.True(File.Exists(levainDll), levainDll);
        string[] run = ["train", "--steps", "40", "--width", "16", "--depth", "1", "--heads", "2", "--context", "32", "--batch", "4",
            "--warmup", "2", "--eval-items", "0", "--dropout", "0.1", "--grad-accum", "2", "--checkpoint-every", "3", "--progress-every", "1"];
        string whole = Path.Combine(_directory, "whole");
        var (exit, _, stderr) = await CliRunner.RunAsync([.. run, "--out", whole]);
        Assert.True(exit == 0, stderr);

        string killed = Path.Combine(_directory, "killed");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])[levainDll, .. run, "--out", killed])
        {
            start.ArgumentList.Add(arg);
        }
        using (var process = Process.Start(start)!)
        {
            _ = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            string? line;
            while ((line = await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken)) is not null)
            {
                if (line.Contains("\"step\":10,", StringComparison.Ordinal))
                {
                    process.Kill(); // SIGKILL, mid-run, after the checkpoints at steps 3, 6 and 9
                    break;
                }
            }
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
        Assert.False(File.Exists(Path.Combine(killed, "model.safetensors")), "the run finished before it was killed");
        (exit, string stdout, stderr) = await CliRunner.RunAsync([.. run, "--resume", killed]);
        Assert.True(exit == 0, stderr);
        Assert.StartsWith("levain-progress {\"step\":10,", stdout.Split('\n')[0], StringComparison.Ordinal);
        // Progress lines carry the FLOPs spent so far (a cost early stopping can judge on); the last equals the result's.
        var lines = stdout.Split('\n');
        using (var lastProgress = System.Text.Json.JsonDocument.Parse(lines.Last(l => l.StartsWith("levain-progress ", StringComparison.Ordinal))["levain-progress ".Length..]))
        using (var result = System.Text.Json.JsonDocument.Parse(lines.Single(l => l.StartsWith("levain-result ", StringComparison.Ordinal))["levain-result ".Length..]))
        {
            Assert.Equal(result.RootElement.GetProperty("flops").GetDouble(), lastProgress.RootElement.GetProperty("flops").GetDouble());
        }
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, "model.safetensors")), File.ReadAllBytes(Path.Combine(killed, "model.safetensors")));
    }

    [Fact]
    public async Task BadInput_ExitsTwoWithOneMessageNamingTheFile()
    {
        string model = Path.Combine(_directory, "m");
        var (exit, _, stderr) = await CliRunner.RunAsync([.. Tiny(steps: "1"), "--out", model]);
        Assert.True(exit == 0, stderr);
        string empty = Path.Combine(_directory, "empty.txt");
        File.WriteAllText(empty, "");
        string binary = Path.Combine(_directory, "blob.bin");
        File.WriteAllBytes(binary, [0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]);
        string latin1 = Path.Combine(_directory, "latin1.txt");
        File.WriteAllBytes(latin1, [0x63, 0x61, 0x66, 0xe9, 0x0a]);
        string badJsonl = Path.Combine(_directory, "bad.jsonl");
        File.WriteAllText(badJsonl, "{\"text\": \"ok\"}\n{\"body\": \"no text\"}\n");
        var cases = new (string[] Args, string Expected)[]
        {
            (["score", "--model", model, Path.Combine(_directory, "missing.txt")], "missing.txt: file not found"),
            (["score", "--model", model, empty], $"{empty}: the file is empty"),
            (["score", "--model", model, binary], $"{binary}: line 1: binary data"),
            (["score", "--model", model, latin1], $"{latin1}: line 1: not valid UTF-8"),
            (["score", "--model", model, badJsonl], $"{badJsonl}: line 2: field 'text'"),
            (["generate", "--model", Path.Combine(_directory, "nope"), "--prompt", "x"], "nope: checkpoint: no such directory"),
            (["generate", "--model", model, "--prompt", "x", "--top-p", "1.5"], "option '--top-p'"),
            (["generate", "--model", model, "--prompt", "x", "--device", "cuda"], "docs/gpu.md"),
            ([.. TinyTrain, "--device", "cuda:1"], "docs/gpu.md"),
            ([.. TinyTrain, "--device", "tpu"], "unknown device 'tpu'"),
            ([.. TinyTrain, "--resume", _directory], Path.Combine(_directory, "trainer_state.json")),
            ([.. TinyTrain, "--init-from", _directory], Path.Combine(_directory, "config.json")),
            ([.. TinyTrain, "--checkpoint-every", "2"], "option '--checkpoint-every'"),
            (["checkpoint", "export", _directory, "--out", Path.Combine(_directory, "x")], Path.Combine(_directory, "config.json")),
        };
        foreach (var (args, expected) in cases)
        {
            var (code, _, error) = await CliRunner.RunAsync(args);
            Assert.True(code == 64, $"{string.Join(' ', args)} → {code}: {error}");
            Assert.Contains(expected, error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
