using Levain.Core;
using Levain.Evals.Items;
using Levain.Evals.Quality;

namespace Levain.Evals.Tests.Quality;

public sealed class JudgmentLabelerTests
{
    private static readonly EvalItem[] Items =
    [
        new("a", "Which planet is largest?", ["Mars", "Jupiter", "Venus"], GoldAnswer.Choice(0), ItemFormat.Cloze, QualityLabel.Unreviewed),
        new("b", "Which is a mammal?", ["Whale", "Shark", "Trout"], GoldAnswer.Choice(0), ItemFormat.Cloze, QualityLabel.Unreviewed),
        new("c", "Best colour?", ["red", "blue"], GoldAnswer.Choice(0), ItemFormat.Cloze, QualityLabel.Unreviewed),
        new("d", "2 + 2?", ["3", "5"], GoldAnswer.Choice(0), ItemFormat.Cloze, QualityLabel.Unreviewed),
    ];

    [Fact]
    public void Apply_ConfidentAgreementOnAnotherChoice_MarksMislabeled()
    {
        Judgment[] judgments =
        [
            new("which planet is largest", ["Mars", "Jupiter", "Venus"], "Mars", "Jupiter", 0.9, "Jupiter is the largest", null, 1),
            new("Which planet is largest?", ["Venus", "Mars", "Jupiter"], "Mars", "B", 0.4, null, null, 2), // letter, low confidence: ignored
            new("Which planet is largest?", ["Mars", "Jupiter", "Venus"], "Mars", "jupiter", 0.8, null, null, 3),
            new("Which is a mammal?", ["Whale", "Shark", "Trout"], "Whale", "Whale", 1.0, null, null, 4),
            new("Best colour?", ["red", "blue"], "red", "blue", 0.9, null, null, 5),
            new("Best colour?", ["red", "blue"], "red", "red", 0.9, null, null, 6),
            new("Best colour?", ["red", "blue"], "red", "blue", 0.9, null, "ambiguous", 7),
            new("2 + 2?", ["3", "5"], "3", null, 0.95, "none is right", null, 8),
            new("Unknown question", ["x", "y"], "x", "y", 1, null, null, 9),
        ];
        var import = JudgmentLabeler.Apply(Items, judgments, "judgments:test", new JudgmentOptions(0.5));

        Assert.Equal(QualityStatus.Mislabeled, import.Items[0].Quality.Status);
        Assert.Equal("judgments:test", import.Items[0].Quality.Source);
        Assert.Equal("Jupiter is the largest", import.Items[0].Quality.Note);
        Assert.Equal(QualityStatus.Ok, import.Items[1].Quality.Status);
        Assert.Equal(QualityStatus.Ambiguous, import.Items[2].Quality.Status);
        Assert.Equal(QualityStatus.NoCorrect, import.Items[3].Quality.Status);
        Assert.Equal(8, import.Matched);
        Assert.Equal(1, import.Unmatched);
        Assert.Equal(3, import.Relabeled);
    }

    [Fact]
    public void Read_JudgmentsFile_ParsesPercentConfidenceAndNamesBadLines()
    {
        using var temp = new TempDirectory();
        var good = temp.File("j.jsonl", """
            {"question":"Q","choices":["a","b"],"original_answer":"a","participant_answer":"b","confidence":80,"reason":"r"}
            """);
        var judgment = JudgmentFileReader.Read(good).Single();
        Assert.Equal(0.8, judgment.Confidence, 1e-12);
        Assert.Equal("b", judgment.ParticipantAnswer);

        var bad = temp.File("bad.jsonl", "{\"question\":\"Q\",\"choices\":[\"a\"],\"original_answer\":\"a\"}\n{\"question\":\"Q\",\"choices\":[\"a\"]}\n");
        var error = Assert.Throws<InputException>(() => JudgmentFileReader.Read(bad));
        Assert.Equal(2, error.Line);
        Assert.Equal("original_answer", error.Field);
    }
}
