using Levain.Core;
using Levain.Evals.Generators;
using Levain.Evals.Items;

namespace Levain.Evals.Tasks;

/// <summary>
/// Turns what a user names into a task: a <c>.jsonl</c> items file (every manifest default), a <c>.yaml</c>,
/// <c>.yml</c> or <c>.json</c> manifest, or a generator name (<c>code</c>, <c>code-eval</c>, <c>code-cloze</c>, <c>long-context</c>).
/// </summary>
public static class TaskLoader
{
    public static LoadedTask Load(string spec, int? generatorCount = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        var extension = Path.GetExtension(spec).ToLowerInvariant();
        TaskManifest manifest;
        if (extension is ".jsonl" or ".ndjson")
        {
            manifest = TaskManifest.ForItemsFile(spec);
        }
        else if (extension is ".yaml" or ".yml" && LmEval.LmEvalTaskReader.IsLmEvalTask(spec))
        {
            return LmEval.LmEvalTaskReader.Read(spec);
        }
        else if (extension is ".yaml" or ".yml" or ".json")
        {
            manifest = TaskManifestReader.Read(spec);
        }
        else if (GeneratorRegistry.Find(spec) is { } generator)
        {
            manifest = new TaskManifest { Name = generator.Name, Generator = generator.Name };
        }
        else
        {
            var known = string.Join(", ", GeneratorRegistry.All.Select(g => g.Name));
            throw new InputException(spec, 0, "task", $"not a .jsonl items file, a .yaml/.json manifest, or a generator name ({known})");
        }
        return Load(manifest, generatorCount);
    }

    public static LoadedTask Load(TaskManifest manifest, int? generatorCount = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.ItemsPath is { } path)
        {
            return new LoadedTask(manifest with { TargetSuffix = manifest.TargetSuffix ?? "" }, ItemFileReader.Read(path));
        }
        var generator = GeneratorRegistry.Find(manifest.Generator!)
            ?? throw new InputException(manifest.Name, 0, "generator", $"unknown generator '{manifest.Generator}' (known: {string.Join(", ", GeneratorRegistry.All.Select(g => g.Name))})");
        var count = generatorCount ?? manifest.Count;
        var seed = manifest.Seed ?? generator.DefaultSeed;
        var resolved = manifest with { Seed = seed, Count = count, TargetSuffix = manifest.TargetSuffix ?? generator.TargetSuffix };
        return new LoadedTask(resolved, generator.Generate(seed, count, manifest.GeneratorParameters));
    }
}
