using Levain.Core;
using Levain.Evals.Contamination;
using Levain.Evals.Items;
using Levain.Evals.Reports;
using Levain.Evals.Scoring;
using Levain.Evals.Tasks;
using Levain.Evals.Tests.Fakes;

namespace Levain.Evals.Tests.Contamination;

public sealed class NGramIndexTests
{
    private const string Corpus =
        "In 1969, Apollo 11 landed on the Moon; Neil Armstrong and Buzz Aldrin walked on its surface for two hours while Michael Collins orbited above.";

    [Fact]
    public void Tokens_LowerCasesStripsPunctuationSplitsOnWhitespace() =>
        Assert.Equal(["apollo", "11", "landed", "its", "moon"], NGramTokenizer.Tokens("Apollo 11, landed!\n(its) MOON.").ToArray());

    [Fact]
    public void Overlap_VerbatimCopyWithDifferentCaseAndPunctuation_IsFull()
    {
        var index = NGramIndex.FromDocuments([Corpus]);
        var copy = "in 1969 apollo 11 LANDED on the moon -- neil armstrong and buzz aldrin walked on its surface";
        Assert.Equal(1.0, index.Overlap(copy));
    }

    [Fact]
    public void Overlap_PartialCopy_IsTheFractionOfSharedThirteenGrams()
    {
        var index = NGramIndex.FromDocuments([Corpus]);
        // 13 copied tokens then 2 new ones: 3 thirteen-grams, of which only the first is in the corpus.
        var text = "Apollo 11 landed on the Moon; Neil Armstrong and Buzz Aldrin walked on zebra crossing";
        Assert.Equal(15, NGramTokenizer.Tokens(text).Count());
        Assert.Equal(1.0 / 3, index.Overlap(text), 1e-12);
    }

    [Fact]
    public void Overlap_ShortOrUnrelatedText_IsZero()
    {
        var index = NGramIndex.FromDocuments([Corpus]);
        Assert.Equal(0, index.Overlap("Apollo 11 landed on the Moon"));
        Assert.Equal(0, index.Overlap("a completely different sentence that shares no thirteen word window with the corpus at all"));
    }

    [Fact]
    public void SaveAndLoad_RoundTrip_KeepsEveryHash()
    {
        using var temp = new TempDirectory();
        var corpus = temp.File("corpus.txt", Corpus + "\n" + Corpus.ToUpperInvariant());
        var index = NGramIndex.FromFiles([corpus]);
        var path = Path.Combine(temp.Path, "corpus.idx");
        index.Save(path);
        var loaded = NGramIndex.Load(path);
        Assert.Equal(index.Count, loaded.Count);
        Assert.Equal(13, loaded.N);
        Assert.Equal(1.0, loaded.Overlap(Corpus));
    }

    [Fact]
    public void Load_NotAnIndex_IsBadInput()
    {
        using var temp = new TempDirectory();
        var error = Assert.Throws<InputException>(() => NGramIndex.Load(temp.File("x.idx", "hello world")));
        Assert.Equal("header", error.Field);
    }

    [Fact]
    public async Task Report_WithIndex_SplitsCleanAndOverlappingItems()
    {
        var items = new[]
        {
            new EvalItem("leaked", "In 1969 Apollo 11 landed on the Moon; Neil Armstrong and Buzz Aldrin walked on its", ["surface", "roof"], GoldAnswer.Choice(0), ItemFormat.Cloze, QualityLabel.Unreviewed),
            new EvalItem("fresh", "the quick brown fox", ["jumps", "sleeps"], GoldAnswer.Choice(0), ItemFormat.Cloze, QualityLabel.Unreviewed),
        };
        var task = new LoadedTask(new TaskManifest { Name = "contaminated" }, items);
        var run = await new Evaluator(CharBigramModel.Default, new EvaluatorOptions()).RunAsync(task);
        var report = TaskReportBuilder.Build(run, task, new TaskReportOptions(0, NGramIndex.FromDocuments([Corpus])));

        Assert.True(report.Rows.Single(r => r.ItemId == "leaked").Overlap > 0);
        Assert.Equal(0, report.Rows.Single(r => r.ItemId == "fresh").Overlap);
        Assert.Equal(["not-overlapping", "overlapping"], report.Contamination.Select(s => s.Name));
        Assert.All(report.Contamination, s => Assert.Equal(1, s.Items));
    }
}
