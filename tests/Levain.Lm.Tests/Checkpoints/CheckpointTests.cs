using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Levain.Lm.Checkpoints;
using Levain.Lm.Model;
using Levain.Lm.Tests.Model;
using Levain.Lm.Tokenization;
using Levain.Lm.Training;
using static TorchSharp.torch;

namespace Levain.Lm.Tests.Checkpoints;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"levain-ckpt-{Guid.NewGuid():N}");

    [Fact]
    public void SaveThenLoad_SameLogits()
    {
        using var generator = new Generator(21);
        using var model = new Gpt(GptTests.Tiny, generator);
        model.eval();
        Checkpoint.Save(_directory, model, Config(model.Config, ByteTokenizer.Instance));
        using LoadedCheckpoint loaded = Checkpoint.Load(_directory);
        using var noGrad = no_grad();
        using Tensor tokens = tensor(new long[] { 1, 50, 99, 256, 3, 7 }, [1, 6], ScalarType.Int64);
        using Tensor before = model.forward(tokens);
        using Tensor after = loaded.Model.forward(tokens);
        Assert.True(before.allclose(after, rtol: 0, atol: 0));
        Assert.Equal(GptTests.Tiny, loaded.Config.Model);
        Assert.Equal("bytes", loaded.Tokenizer.Id);
        Assert.Equal(0.25, loaded.Config.Metrics!["acc"]);
        Assert.Equal(16, loaded.WeightsHash.Length);
    }

    [Fact]
    public void Save_WeightsFile_FollowsSafetensorsLayout()
    {
        using var generator = new Generator(22);
        using var model = new Gpt(GptTests.Tiny, generator);
        Checkpoint.Save(_directory, model, Config(model.Config, ByteTokenizer.Instance));
        byte[] file = File.ReadAllBytes(Path.Combine(_directory, Checkpoint.WeightsFileName));

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.Equal(0UL, headerLength % 8);
        using JsonDocument header = JsonDocument.Parse(Encoding.UTF8.GetString(file, 8, (int)headerLength).TrimEnd(' '));
        long expectedOffset = 0;
        foreach (var (name, parameter) in model.named_parameters())
        {
            JsonElement entry = header.RootElement.GetProperty(name);
            Assert.Equal("F32", entry.GetProperty("dtype").GetString());
            Assert.Equal(parameter.shape, entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
            long[] offsets = [.. entry.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64())];
            Assert.Equal(expectedOffset, offsets[0]);
            Assert.Equal(parameter.numel() * 4, offsets[1] - offsets[0]);
            float[] stored = [.. Enumerable.Range(0, (int)parameter.numel()).Select(i => BitConverter.ToSingle(file, 8 + (int)headerLength + (int)offsets[0] + i * 4))];
            Assert.Equal(parameter.data<float>().ToArray(), stored);
            expectedOffset = offsets[1];
        }
        Assert.Equal(8 + (long)headerLength + expectedOffset, file.Length);
        Assert.Equal("pt", header.RootElement.GetProperty("__metadata__").GetProperty("format").GetString());
    }

    [Fact]
    public void Save_WeightsFile_ReadableByPythonTorch()
    {
        const string python = "/usr/bin/python3";
        string? skipReason = !File.Exists(python) ? $"{python} not found" : null;
        if (skipReason is null && !ProbePython("import torch"))
        {
            skipReason = "python3-torch is not installed";
        }
        if (skipReason is not null)
        {
            Requirement.Missing(skipReason, "ci/setup/packages.txt installs it");
        }
        using var generator = new Generator(23);
        using var model = new Gpt(GptTests.Tiny, generator);
        Checkpoint.Save(_directory, model, Config(model.Config, ByteTokenizer.Instance));
        // A reader written from the format description: header length, JSON header, torch.frombuffer over the data.
        string script = """
            import json, struct, sys, torch
            raw = open(sys.argv[1], 'rb').read()
            (n,) = struct.unpack('<Q', raw[:8])
            header = json.loads(raw[8:8 + n])
            header.pop('__metadata__', None)
            for name, e in header.items():
                begin, end = e['data_offsets']
                t = torch.frombuffer(bytearray(raw[8 + n + begin:8 + n + end]), dtype=torch.float32).reshape(e['shape'])
                print(name, repr(float(t.double().sum())))
            """;
        string scriptPath = Path.Combine(_directory, "read.py");
        File.WriteAllText(scriptPath, script);
        var (exit, output) = RunPython(scriptPath, Path.Combine(_directory, Checkpoint.WeightsFileName));
        Assert.True(exit == 0, output);
        var sums = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.Equal(parameter.to_type(ScalarType.Float64).sum().item<double>(), sums[name], 1e-9);
        }
    }

    [Fact]
    public void Load_MissingTensor_ThrowsNamingFile()
    {
        using var generator = new Generator(24);
        using var model = new Gpt(GptTests.Tiny, generator);
        Directory.CreateDirectory(_directory);
        var tensors = model.named_parameters().Skip(1).Select(p => new KeyValuePair<string, Tensor>(p.name, p.parameter)).ToList();
        SafeTensorsFile.Write(Path.Combine(_directory, Checkpoint.WeightsFileName), tensors);
        File.WriteAllText(Path.Combine(_directory, Checkpoint.ConfigFileName), JsonSerializer.Serialize(Config(model.Config, ByteTokenizer.Instance)));
        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(_directory));
        Assert.Contains("transformer.wte.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains(Checkpoint.WeightsFileName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadConfig_MissingDirectory_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => Checkpoint.ReadConfig(_directory));
    }

    [Fact]
    public void SaveThenLoad_TiktokenTokenizer_RoundTripsVocabulary()
    {
        var tokenizer = TiktokenTokenizer.Fit("cl100k_base", ["hello world, hello levain"]);
        using var generator = new Generator(25);
        using var model = new Gpt(GptTests.Tiny with { VocabSize = tokenizer.VocabularySize }, generator);
        Checkpoint.Save(_directory, model, Config(model.Config, tokenizer));
        using LoadedCheckpoint loaded = Checkpoint.Load(_directory);
        Assert.Equal(tokenizer.Id, loaded.Tokenizer.Id);
        Assert.Equal(tokenizer.Encode("hello levain"), loaded.Tokenizer.Encode("hello levain"));
    }

    private static CheckpointConfig Config(GptConfig model, ITextTokenizer tokenizer) =>
        new(CheckpointConfig.CurrentFormat, model, tokenizer.ToSpec(), new TrainingOptions(), new Dictionary<string, double> { ["acc"] = 0.25 });

    private static bool ProbePython(string code) => RunPython("-c", code).Exit == 0;

    private static (int Exit, string Output) RunPython(params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
