using Levain.Core;
using Levain.Evals.Generators;
using Levain.Evals.Items;
using Levain.Evals.Tasks;

namespace Levain.Evals.Tests.Generators;

public sealed class CodeComprehensionGeneratorTests
{
    [Fact]
    public void Generate_SameSeed_SameItemsWithDistinctChoicesAndProvenance()
    {
        var generator = GeneratorRegistry.Find("code")!;
        var a = generator.Generate(generator.DefaultSeed, 6, new Dictionary<string, string>());
        var b = generator.Generate(generator.DefaultSeed, 6, new Dictionary<string, string>());

        Assert.Equal(a.Select(i => (i.Id, i.Context, string.Join('|', i.Choices))), b.Select(i => (i.Id, i.Context, string.Join('|', i.Choices))));
        Assert.All(a, item =>
        {
            Assert.Equal(item.Choices.Count, item.Choices.Distinct().Count());
            Assert.Equal(ItemFormat.Cloze, item.Format);
            Assert.Equal(generator.Version, item.Provenance!.GeneratorVersion);
            Assert.NotNull(item.Provenance.Seed);
        });
        Assert.Contains(a, i => i.Meta!["form"] == "eval");
        Assert.Contains(a, i => i.Meta!["form"] == "cloze");
    }

    [Fact]
    public void Generate_ClozeOnly_AsksOnlyCloze() =>
        Assert.All(GeneratorRegistry.Find("code-cloze")!.Generate(1_000_000_000, 3, new Dictionary<string, string>()), i => Assert.Equal("cloze", i.Meta!["form"]));

    [Fact]
    public void Generate_UnknownParameter_IsBadInput()
    {
        var error = Assert.Throws<InputException>(() => GeneratorRegistry.Find("code")!.Generate(1, 1, new Dictionary<string, string> { ["difficulty"] = "easy", ["dificulty"] = "hard" }));
        Assert.Equal("parameters.dificulty", error.Field);
    }

    [Fact]
    public void Load_GeneratorName_UsesHeldOutSeedAndCount()
    {
        var task = TaskLoader.Load("code-eval", 4);
        Assert.Equal(4, task.Items.Count);
        Assert.Equal(Levain.Synthetic.SeedRanges.HeldOut.Start, task.Manifest.Seed);
    }

    [Fact]
    public void Load_CodeTask_ScoresEachChoiceWithTheTrainingDocumentsAnswerTerminator()
    {
        var task = TaskLoader.Load("code", 6);
        Assert.Equal("\n", task.Manifest.TargetSuffix);
        var builder = new PromptBuilder(task.Manifest, task.Items);
        foreach (var item in task.Items)
        {
            var prompted = builder.Build(item, 0);
            Assert.Equal(item.Choices.Select(c => " " + c + "\n"), prompted.Continuations);
            // The gold continuation after the context is exactly how a training document of that program ends.
            var gold = item.Choices[item.Gold.Indices[0]];
            Assert.Equal(Levain.Synthetic.Code.Items.CodeTextFormat.Document(item.Context, gold), prompted.Context + prompted.Continuations[item.Gold.Indices[0]]);
        }
    }

    [Fact]
    public void Load_ManifestTargetSuffix_OverridesTheGenerators()
    {
        var task = TaskLoader.Load(new TaskManifest { Name = "t", Generator = "code", TargetSuffix = "" }, 2);
        Assert.Equal("", task.Manifest.TargetSuffix);
        Assert.Equal(" " + task.Items[0].Choices[0], new PromptBuilder(task.Manifest, task.Items).Build(task.Items[0], 0).Continuations[0]);
        Assert.Equal("", TaskLoader.Load("long-context", 1).Manifest.TargetSuffix);
    }

    [Fact]
    public void Load_UnknownTaskName_ListsGenerators()
    {
        var error = Assert.Throws<InputException>(() => TaskLoader.Load("mmlu"));
        Assert.Contains("code-cloze", error.Message, StringComparison.Ordinal);
    }
}
