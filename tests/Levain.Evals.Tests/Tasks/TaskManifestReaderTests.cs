using Levain.Core;
using Levain.Evals.Items;
using Levain.Evals.Tasks;

namespace Levain.Evals.Tests.Tasks;

public sealed class TaskManifestReaderTests
{
    [Fact]
    public void Read_Yaml_ReadsEveryKeyAndResolvesItemsRelativeToTheManifest()
    {
        var manifest = TaskManifestReader.Read(new StringReader("""
            name: arc
            items: data/arc.jsonl
            format: lettered
            prompt: "Q: {question}\n{choices}\nA:"
            target_delimiter: " "
            target_suffix: "\n"
            fewshot: 2
            fewshot_seed: 9
            metrics: [acc, nll_correct]
            rotations: 4
            stop: ["\n\n"]
            max_tokens: 8
            """), "/tasks/arc.yaml");
        Assert.Equal("arc", manifest.Name);
        Assert.Equal("/tasks/data/arc.jsonl", manifest.ItemsPath);
        Assert.Equal(ItemFormat.Lettered, manifest.Format);
        Assert.Equal("Q: {question}\n{choices}\nA:", manifest.PromptTemplate);
        Assert.Equal(2, manifest.FewShot);
        Assert.Equal(9, manifest.FewShotSeed);
        Assert.Equal(["acc", "nll_correct"], manifest.Metrics);
        Assert.Equal(4, manifest.Rotations);
        Assert.Equal(["\n\n"], manifest.Stop);
        Assert.Equal(8, manifest.MaxTokens);
        Assert.Equal("\n", manifest.TargetSuffix);
        Assert.Equal("\n\n", manifest.FewShotDelimiter);
    }

    [Fact]
    public void Read_Json_ReadsGeneratorTask()
    {
        var manifest = TaskManifestReader.Read(new StringReader("""
            {
              "name": "code-hard",
              "generator": "code",
              "parameters": {"difficulty": "hard"},
              "seed": 1000000000,
              "count": 50
            }
            """), "/tasks/code.json");
        Assert.Equal("code", manifest.Generator);
        Assert.Equal("hard", manifest.GeneratorParameters["difficulty"]);
        Assert.Equal(1_000_000_000, manifest.Seed);
        Assert.Equal(50, manifest.Count);
    }

    [Theory]
    [InlineData("items: a.jsonl\nrotatons: 4\n", 2, "rotatons")]
    [InlineData("items: a.jsonl\nrotations: many\n", 2, "rotations")]
    [InlineData("items: a.jsonl\nformat: essay\n", 2, "format")]
    [InlineData("name: x\n", 1, "items")]
    [InlineData("items: a.jsonl\nfewshot: [1\n", 3, "syntax")]
    public void Read_BadManifest_NamesLineAndField(string yaml, int line, string field)
    {
        var error = Assert.Throws<InputException>(() => TaskManifestReader.Read(new StringReader(yaml), "task.yaml"));
        Assert.Equal("task.yaml", error.File);
        Assert.Equal(field, error.Field);
        Assert.Equal(line, error.Line);
    }
}
