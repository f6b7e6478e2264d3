using System.Text.Json.Nodes;
using Levain.Lm.Runs;

namespace Levain.Lm.Tests.Runs;

public sealed class TrainRunSettingsTests
{
    [Fact]
    public void ApplyJson_NanoGptAliasesAndRealValuedIntegers_Accepted()
    {
        var outcome = TrainRunSettings.ApplyJson(new TrainRunSpec(), """{"n_embd": 95.6, "n_layer": 3, "learning_rate": "0.01", "batch-size": 8}""", "LEVAIN_PARAMS");
        Assert.False(outcome.IsFailure, outcome.Problem);
        Assert.Equal(96, outcome.Spec!.Width);
        Assert.Equal(3, outcome.Spec.Depth);
        Assert.Equal(0.01, outcome.Spec.Training.LearningRate);
        Assert.Equal(8, outcome.Spec.Training.BatchSize);
    }

    [Fact]
    public void Apply_LaterLayerWins()
    {
        var first = TrainRunSettings.ApplyJson(new TrainRunSpec(), """{"steps": 50, "seed": 3}""", "config.json").Spec!;
        var second = TrainRunSettings.Apply(first, new JsonObject { ["steps"] = 30 }, "flags").Spec!;
        Assert.Equal(30, second.Training.Steps);
        Assert.Equal(3, second.Training.Seed);
    }

    [Theory]
    [InlineData("{\n\"depth\": 0\n}", "cfg: line 2: field 'depth': 0 is out of range [1, 256]")]
    [InlineData("{\"lr\": \"fast\"}", "cfg: line 1: field 'lr': expected a number")]
    [InlineData("{\"tokenizer\": \"gpt2\"}", "cfg: line 1: field 'tokenizer': unknown tokenizer 'gpt2'")]
    [InlineData("{\"steps\": 5, \"warmup\": 9}", "cfg: field 'warmup': 9 warmup steps exceed the 5 steps")]
    [InlineData("{\"tokenizer\": \"cl100k_base\"}", "cfg: field 'tokenizer': the code task uses the byte tokenizer")]
    [InlineData("{\"steps\": 5,\n \"nope\": 1}", "cfg: line 2: field 'nope': unknown setting")]
    [InlineData("{\"steps\": ", "cfg: line 1: not valid JSON")]
    [InlineData("{\"difficulty\": \"expert\"}", "cfg: line 1: field 'difficulty': unknown difficulty 'expert' (known: starter, easy, medium, hard)")]
    [InlineData("{\n\n\"follow_ups\": -1}", "cfg: line 3: field 'follow_ups': -1 is out of range [0, 64]")]
    [InlineData("[1]", "cfg: line 1: expected a JSON object")]
    public void ApplyJson_BadInput_OneMessageNamingSourceLineAndField(string json, string expectedStart)
    {
        var outcome = TrainRunSettings.ApplyJson(new TrainRunSpec(), json, "cfg");
        Assert.True(outcome.IsFailure);
        Assert.StartsWith(expectedStart, outcome.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyJson_FollowUps_SetAndDefaultThree()
    {
        Assert.Equal(3, new TrainRunSpec().FollowUps);
        var outcome = TrainRunSettings.ApplyJson(new TrainRunSpec(), "{\"follow-ups\": 0}", "cfg");
        Assert.Equal(0, outcome.Spec!.FollowUps);
    }

    [Fact]
    public void RoundUpToMultiple_WidthNotDivisibleByHeads_RoundsUp()
    {
        Assert.Equal(68, TrainingRun.RoundUpToMultiple(66, 4));
        Assert.Equal(64, TrainingRun.RoundUpToMultiple(64, 4));
    }

    [Fact]
    public void ApplyJson_MixAsSimplexObject_BecomesNamedWeights()
    {
        var outcome = TrainRunSettings.ApplyJson(new TrainRunSpec(), """{"data": "prepared/manifest.json", "mix": {"web": 0.7, "code": 0.3}}""", "LEVAIN_PARAMS");
        Assert.Equal("web=0.7,code=0.3", outcome.Spec?.Mix ?? outcome.Problem);
        var bad = TrainRunSettings.ApplyJson(new TrainRunSpec(), """{"data": "prepared/manifest.json", "mix": {"web": -1}}""", "LEVAIN_PARAMS");
        Assert.True(bad.IsFailure);
        Assert.Contains("LEVAIN_PARAMS: line 1: field 'mix': 'web=-1'", bad.Problem, StringComparison.Ordinal);
    }
}
