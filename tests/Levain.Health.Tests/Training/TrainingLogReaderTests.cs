using Levain.Core;
using Levain.Health.Tests.Support;
using Levain.Health.Training;

namespace Levain.Health.Tests.Training;

public sealed class TrainingLogReaderTests
{
    [Fact]
    public void Load_CsvAndJsonl_SameRecords()
    {
        var csv = TrainingLogReader.Parse("step,rank,step_time,tokens\n0,0,1.5,4096\n0,1,1.25,4096\n", "a.csv");
        var jsonl = TrainingLogReader.Parse("{\"step\":0,\"rank\":0,\"step_time_ms\":1500,\"tokens\":4096}\n{\"step\":0,\"rank\":1,\"time\":1.25,\"tokens\":4096}\n", "a.jsonl");
        Assert.Equal(csv, jsonl);
        Assert.Equal(new StepRecord(0, 1, 1.25, 4096), csv[1]);
        Assert.Equal(60 * 8, TrainingLogReader.Load(Fixture.Path("training/straggler.csv")).Count);
    }

    [Fact]
    public void Parse_NoRankColumn_RankZero() =>
        Assert.All(TrainingLogReader.Parse("step,step_time,tokens\n1,0.5,10\n2,0.5,10\n", "r.csv"), r => Assert.Equal(0, r.Rank));

    [Theory]
    [InlineData("training/bad-value.csv", 3, "step_time")]
    [InlineData("training/bad-missing.jsonl", 2, "step_time")]
    public void Load_BadRow_ErrorNamesFileLineAndField(string fixture, int line, string field)
    {
        var path = Fixture.Path(fixture);
        var e = Assert.Throws<InputException>(() => TrainingLogReader.Load(path));
        Assert.Equal((path, line, field), (e.File, e.Line, e.Field));
    }

    [Theory]
    [InlineData("step,tokens\n1,2\n", 1, "header")]
    [InlineData("step,rank,step_time,tokens\n0,0,-1,5\n", 2, "step_time")]
    [InlineData("{\"step\":0,\"step_time\":\"1\",\"tokens\":3}\n", 1, "step_time")]
    [InlineData("{not json\n", 1, "json")]
    public void Parse_BadInput_ErrorNamesLineAndField(string text, int line, string field)
    {
        var e = Assert.Throws<InputException>(() => TrainingLogReader.Parse(text, "log"));
        Assert.Equal((line, field), (e.Line, e.Field));
    }
}
