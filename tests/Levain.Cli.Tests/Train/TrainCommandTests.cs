using System.Text.Json;

namespace Levain.Cli.Tests.Train;

[Collection(ProcessEnvironmentCollection.Name)]
public sealed class TrainCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"levain-train-{Guid.NewGuid():N}");

    public TrainCommandTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task Train_ConstantRateAfterWarmup_StoppedAtStepSIsTheRunOfSSteps_CosineIsNot()
    {
        // docs/trials.md: early_stopping.length_parameter is exact for levain train with min_lr_ratio 1.
        var config = Path.Combine(_directory, "constant.json");
        File.WriteAllText(config, """{"min_lr_ratio": 1}""");
        async Task<string> LossAtStep30(int steps, bool constant)
        {
            string[] args = ["train", "--steps", $"{steps}", "--warmup", "5", "--width", "16", "--depth", "1", "--heads", "2", "--context", "16",
                "--batch", "4", "--eval-items", "0", "--progress-every", "10"];
            var (exit, stdout, stderr) = await CliRunner.RunAsync(constant ? [.. args, "--config", config] : args);
            Assert.True(exit == 0, stderr);
            var line = Assert.Single(stdout.Split('\n'), l => l.StartsWith("levain-progress {\"step\":30,", StringComparison.Ordinal));
            using var json = JsonDocument.Parse(line["levain-progress ".Length..]);
            return json.RootElement.GetProperty("loss").GetRawText();
        }
        Assert.Equal(await LossAtStep30(30, constant: true), await LossAtStep30(60, constant: true));
        Assert.NotEqual(await LossAtStep30(30, constant: false), await LossAtStep30(60, constant: false));
    }

    [Fact]
    public async Task Train_TinyCodeTask_WritesResultFileAndPrintsResultLine()
    {
        string resultPath = Path.Combine(_directory, "result.json");
        string checkpoint = Path.Combine(_directory, "ckpt");
        Environment.SetEnvironmentVariable("LEVAIN_RESULT", resultPath);
        Environment.SetEnvironmentVariable("LEVAIN_PARAMS", """{"width": 30, "lr": 0.002}""");
        try
        {
            var (exit, stdout, stderr) = await CliRunner.RunAsync("train", "--steps", "4", "--width", "16", "--depth", "1", "--heads", "2",
                "--context", "64", "--batch", "2", "--warmup", "1", "--eval-items", "4", "--progress-every", "2", "--out", checkpoint);
            Assert.True(exit == 0, stderr);
            string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains(lines, l => l.StartsWith("levain-progress {\"step\":2,", StringComparison.Ordinal));
            string resultLine = Assert.Single(lines, l => l.StartsWith("levain-result ", StringComparison.Ordinal));
            using var fromLine = JsonDocument.Parse(resultLine["levain-result ".Length..]);
            using var fromFile = JsonDocument.Parse(File.ReadAllText(resultPath));
            foreach (JsonDocument doc in new[] { fromLine, fromFile })
            {
                JsonElement r = doc.RootElement;
                Assert.True(r.GetProperty("nll_correct").GetDouble() > 0);
                Assert.InRange(r.GetProperty("acc").GetDouble(), 0, 1);
                Assert.Equal(4 * 2 * 64, r.GetProperty("tokens").GetInt64());
                Assert.True(r.GetProperty("seconds").GetDouble() > 0);
                Assert.True(r.GetProperty("flops").GetDouble() > 0);
                Assert.True(r.GetProperty("params").GetInt64() > 0);
                Assert.Equal(16, r.GetProperty("width").GetInt32()); // the flag beats LEVAIN_PARAMS
                Assert.Equal(4, r.GetProperty("eval_items").GetInt32());
            }
            Assert.True(File.Exists(Path.Combine(checkpoint, "model.safetensors")));
            using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(checkpoint, "config.json")));
            Assert.Equal(0.002, config.RootElement.GetProperty("training").GetProperty("learning_rate").GetDouble()); // from LEVAIN_PARAMS
        }
        finally
        {
            Environment.SetEnvironmentVariable("LEVAIN_RESULT", null);
            Environment.SetEnvironmentVariable("LEVAIN_PARAMS", null);
        }
    }

    [Fact]
    public async Task Train_BadConfigField_ExitsTwoNamingFileLineAndField()
    {
        string config = Path.Combine(_directory, "train.json");
        File.WriteAllText(config, "{\n  \"steps\": 10,\n  \"depth\": \"deep\"\n}\n");
        var (exit, _, stderr) = await CliRunner.RunAsync("train", "--config", config);
        Assert.Equal(64, exit);
        Assert.Contains($"{config}: line 3: field 'depth': expected an integer", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_UnknownParamsKey_ExitsTwo()
    {
        Environment.SetEnvironmentVariable("LEVAIN_PARAMS", """{"widht": 64}""");
        try
        {
            var (exit, _, stderr) = await CliRunner.RunAsync("train", "--steps", "1");
            Assert.Equal(64, exit);
            Assert.Contains("LEVAIN_PARAMS", stderr, StringComparison.Ordinal);
            Assert.Contains("'widht': unknown setting", stderr, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("LEVAIN_PARAMS", null);
        }
    }

    [Fact]
    public async Task Train_MissingDataFile_ExitsTwo()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("train", "--data", Path.Combine(_directory, "none.txt"));
        Assert.Equal(64, exit);
        Assert.Contains("data file not found", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
