using Levain.Synthetic.Code;
using Levain.Synthetic.Code.Corpus;
using Levain.Synthetic.Code.Items;
using Levain.Synthetic.Tests.Code.Items;

namespace Levain.Synthetic.Tests.Code.Corpus;

public sealed class TrainingCorpusTests
{
    [Fact]
    public void Documents_TwoEnumerations_AreIdentical()
    {
        var first = TrainingCorpus.Documents(TrainingCorpusOptions.Mixed).Take(300).ToList();
        var second = TrainingCorpus.Documents(TrainingCorpusOptions.Mixed).Take(300).ToList();

        Assert.Equal(first, second);
    }

    [Fact]
    public void Examples_StartSeed_ShiftsTheStream()
    {
        var fromZero = TrainingCorpus.Examples(TrainingCorpusOptions.Easy).Take(20).ToList();
        var fromTen = TrainingCorpus.Examples(TrainingCorpusOptions.Easy with { StartSeed = 10 }).Take(10).ToList();

        Assert.Equal(fromZero.Skip(10).Select(d => d.Text), fromTen.Select(d => d.Text));
        Assert.Equal(Enumerable.Range(10, 10), fromTen.Select(d => d.Seed));
    }

    [Fact]
    public void Examples_Documents_UseTheItemConventionsAndAreCorrect()
    {
        foreach (var document in TrainingCorpus.Examples(TrainingCorpusOptions.Mixed).Take(400))
        {
            // A document is context + " " + answer + "\n", where the context is what an item of that form shows.
            var marker = document.Form switch
            {
                CodeItemForm.EvalOutput => CodeTextFormat.OutputMarker,
                CodeItemForm.EvalVariable => ":",
                _ => CodeTextFormat.ClozeMarker,
            };
            var text = document.Text;
            Assert.EndsWith("\n", text, StringComparison.Ordinal);
            var split = document.Form == CodeItemForm.EvalVariable
                ? text.IndexOf(':', text.LastIndexOf("# Value of ", StringComparison.Ordinal))
                : text.LastIndexOf(marker, StringComparison.Ordinal) + marker.Length - 1;
            var context = text[..(split + 1)];
            var answer = text[(split + 2)..^1];
            Assert.Equal(' ', text[split + 1]);

            Assert.True(ItemOracle.IsCorrect(document.Form, context, answer), text);
            Assert.Equal(document.ProgramHash, ProgramHash.OfText(ItemOracle.CompleteProgram(document.Form, context, answer)));
        }
    }

    [Fact]
    public void Examples_MixAndFormWeights_AreRespected()
    {
        var documents = TrainingCorpus.Examples(TrainingCorpusOptions.Mixed).Take(2_000).ToList();
        double Share(Func<TrainingDocument, bool> predicate) => documents.Count(predicate) / (double)documents.Count;

        Assert.InRange(Share(d => d.Difficulty == "easy"), 0.55, 0.65);
        Assert.InRange(Share(d => d.Difficulty == "medium"), 0.25, 0.35);
        Assert.InRange(Share(d => d.Difficulty == "hard"), 0.07, 0.13);
        // Cloze falls back to an output question when no hole changes the output, so its share is a bit lower.
        Assert.InRange(Share(d => d.Form == CodeItemForm.EvalOutput), 0.45, 0.60);
        Assert.InRange(Share(d => d.Form == CodeItemForm.EvalVariable), 0.20, 0.30);
        Assert.InRange(Share(d => d.Form == CodeItemForm.Cloze), 0.17, 0.30);
    }

    [Fact]
    public void Documents_EasyPreset_FitASmallByteContext()
    {
        var lengths = TrainingCorpus.Documents(TrainingCorpusOptions.Easy).Take(1_000).Select(d => d.Length).ToList();

        Assert.All(lengths, length => Assert.InRange(length, 30, 160));
        Assert.InRange(lengths.Average(), 55, 120);
    }

    [Fact]
    public void Examples_WithGuard_ShareNoProgramWithHeldOutItems()
    {
        var heldOut = new[] { CodeItemOptions.Easy, CodeItemOptions.Medium }
            .SelectMany(options => CodeItemGenerator.Generate(options, SeedRanges.HeldOut.Start, 500))
            .ToList();
        var guard = HeldOutGuard.For(heldOut);
        var options = TrainingCorpusOptions.Mixed with { Guard = guard };

        var documents = TrainingCorpus.Examples(options).Take(4_000).ToList();

        Assert.Empty(guard.FindLeaks(documents));
        Assert.DoesNotContain(documents, d => heldOut.Any(item => item.ProgramHash == d.ProgramHash));
        Assert.All(documents, d => Assert.True(SeedRanges.Training.Contains(d.Seed)));
        Assert.All(heldOut, item => Assert.True(SeedRanges.HeldOut.Contains(item.Provenance.Seed)));
    }

    [Fact]
    public void Examples_WithGuard_SkipsExactlyTheGuardedPrograms()
    {
        var unguarded = TrainingCorpus.Examples(TrainingCorpusOptions.Easy).Take(60).ToList();
        var guard = new HeldOutGuard(unguarded.Take(30).Where((_, i) => i % 2 == 0).Select(d => d.ProgramHash));

        var guarded = TrainingCorpus.Examples(TrainingCorpusOptions.Easy with { Guard = guard }).Take(45).ToList();

        Assert.Equal(unguarded.Where(d => !guard.IsHeldOut(d.ProgramHash)).Take(45).Select(d => d.Seed), guarded.Select(d => d.Seed));
        Assert.Equal(15, guard.FindLeaks(unguarded.Take(30)).Count);
    }

    [Fact]
    public void DocumentAt_SeedOutsideTrainingRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingCorpus.DocumentAt(TrainingCorpusOptions.Easy, SeedRanges.HeldOut.Start));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            TrainingCorpus.Documents(TrainingCorpusOptions.Easy with { StartSeed = SeedRanges.HeldOut.Start + 5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            TrainingCorpus.Documents(TrainingCorpusOptions.Easy with { FormWeights = [0, 0, 0] }));
    }
}
