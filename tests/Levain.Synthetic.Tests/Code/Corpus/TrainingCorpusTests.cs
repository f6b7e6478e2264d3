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
    public void Examples_FollowUps_AppendCorrectValueLinesAfterAnUnchangedDocument()
    {
        var plain = TrainingCorpusOptions.Mixed with { Mix = [new(GeneratorOptions.Starter, 1), new(GeneratorOptions.Easy, 1)] };
        var withFollowUps = plain with { FollowUpQuestions = 2 };
        var documents = TrainingCorpus.Examples(plain).Take(300).ToList();
        var extended = TrainingCorpus.Examples(withFollowUps).Take(300).ToList();
        var lines = 0;
        for (var i = 0; i < documents.Count; i++)
        {
            var document = documents[i];
            var text = extended[i].Text;
            Assert.StartsWith(document.Text, text, StringComparison.Ordinal);
            var followUps = text[document.Text.Length..].Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.InRange(followUps.Length, 0, 2);
            var program = ProgramParser.Parse(ItemOracle.CompleteProgram(document.Form, document.Text[..LastAnswerSplit(document)], AnswerOf(document)));
            var result = Interpreter.Run(program.Program!);
            var asked = new HashSet<string>(StringComparer.Ordinal);
            if (document.Form == CodeItemForm.EvalVariable)
            {
                asked.Add(VariableAsked(document.Text));
            }
            foreach (var line in followUps)
            {
                // "# Value of v: x", exactly the variable question's ending plus its answer, for a variable not asked yet.
                var match = System.Text.RegularExpressions.Regex.Match(line, "^# Value of ([a-z]+): (.+)$");
                Assert.True(match.Success, line);
                Assert.True(asked.Add(match.Groups[1].Value), text);
                Assert.Equal(result.ValueOf(match.Groups[1].Value)!.ToPythonText(), match.Groups[2].Value);
                lines++;
            }
        }

        Assert.True(lines > 150, $"only {lines} follow-up lines in 300 documents");
    }

    private static int LastAnswerSplit(TrainingDocument document) => document.Form switch
    {
        CodeItemForm.EvalVariable => document.Text.IndexOf(':', document.Text.LastIndexOf("# Value of ", StringComparison.Ordinal)) + 1,
        CodeItemForm.EvalOutput => document.Text.LastIndexOf(CodeTextFormat.OutputMarker, StringComparison.Ordinal) + CodeTextFormat.OutputMarker.Length,
        _ => document.Text.LastIndexOf(CodeTextFormat.ClozeMarker, StringComparison.Ordinal) + CodeTextFormat.ClozeMarker.Length,
    };

    private static string AnswerOf(TrainingDocument document) => document.Text[(LastAnswerSplit(document) + 1)..^1];

    private static string VariableAsked(string text)
    {
        var start = text.LastIndexOf("# Value of ", StringComparison.Ordinal) + "# Value of ".Length;
        return text[start..text.IndexOf(':', start)];
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
