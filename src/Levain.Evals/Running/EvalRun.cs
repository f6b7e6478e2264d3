using Levain.Core;
using System.Reflection;
using Levain.Evals.Backends;
using Levain.Evals.Caching;
using Levain.Evals.Contamination;
using Levain.Evals.Quality;
using Levain.Evals.Reports;
using Levain.Evals.Scoring;
using Levain.Evals.Tasks;
using Levain.Evals.Tasks.Groups;

namespace Levain.Evals.Running;

/// <summary>
/// A whole evaluation run: loads every task, applies imported judgments, scores through the backend with the result
/// cache, and builds the report with its run manifest. What <c>levain eval</c> calls.
/// </summary>
public static class EvalRun
{
    public static string HarnessVersion { get; } =
        "levain-evals " + (typeof(EvalRun).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0");

    /// <summary>Loads the tasks first, so a malformed file fails before any scoring.</summary>
    public static IReadOnlyList<LoadedTask> LoadTasks(EvalRunOptions options) => Load(options).Tasks;

    /// <summary>
    /// Loads the tasks and task groups: an lm-eval group config among the tasks stands for its member tasks (each loaded
    /// once even when several groups list it) and adds a group whose aggregates the report carries.
    /// </summary>
    public static (IReadOnlyList<LoadedTask> Tasks, IReadOnlyList<TaskGroup> Groups) Load(EvalRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tasks = new List<LoadedTask>();
        var groups = new List<TaskGroup>();
        var byPath = new Dictionary<string, LoadedTask>(StringComparer.Ordinal);
        foreach (var spec in options.Tasks)
        {
            if (!TaskGroupReader.IsGroup(spec))
            {
                tasks.Add(TaskLoader.Load(spec, options.Limit));
                continue;
            }
            var (group, members) = TaskGroupReader.Read(spec);
            var names = new List<string>();
            foreach (var member in members)
            {
                var full = Path.GetFullPath(member);
                if (!byPath.TryGetValue(full, out var loaded))
                {
                    loaded = TaskLoader.Load(member, options.Limit);
                    byPath[full] = loaded;
                    tasks.Add(loaded);
                }
                names.Add(loaded.Manifest.Name);
            }
            groups.Add(group with { Tasks = names });
        }
        var taskNames = tasks.Select(t => t.Manifest.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            if (taskNames.Contains(group.Name) || groups.Count(g => g.Name == group.Name) > 1)
            {
                throw new InputException(group.SourcePath ?? group.Name, 0, "group", $"'{group.Name}' is also the name of another group or of a task");
            }
        }
        return (ApplyAndCheck(options, tasks), groups);
    }

    private static List<LoadedTask> ApplyAndCheck(EvalRunOptions options, List<LoadedTask> tasks)
    {
        if (options.JudgmentsPath is { } path)
        {
            var judgments = JudgmentFileReader.Read(path);
            var labelOptions = new JudgmentOptions(options.JudgmentMinConfidence);
            tasks = [.. tasks.Select(t => t with { Items = JudgmentLabeler.Apply(t.Items, judgments, $"judgments:{Path.GetFileName(path)}", labelOptions).Items })];
        }
        var duplicate = tasks.GroupBy(t => t.Manifest.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InputException(duplicate.Key, 0, "name", "two tasks share this name; give one a different 'name' in its manifest");
        }
        return tasks;
    }

    public static Task<RunReport> RunAsync(
        IScoringBackend backend,
        EvalRunOptions options,
        IReadOnlyList<LoadedTask> tasks,
        IProgress<EvalProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(backend, options, tasks, [], progress, cancellationToken);

    /// <summary>Scores every task, then aggregates each group over its member tasks' reports.</summary>
    public static async Task<RunReport> RunAsync(
        IScoringBackend backend,
        EvalRunOptions options,
        IReadOnlyList<LoadedTask> tasks,
        IReadOnlyList<TaskGroup> groups,
        IProgress<EvalProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tasks);
        var started = options.Clock.GetUtcNow();
        var index = options.ContaminationIndexPath is { } indexPath ? NGramIndex.Load(indexPath) : null;
        using var cache = options.CacheDirectory is { } directory ? ResultCache.Open(directory) : null;
        var evaluator = new Evaluator(backend, new EvaluatorOptions(options.BatchSize, options.Limit, options.Rotations, options.Seed), cache);
        var reportOptions = new TaskReportOptions(options.Seed, index, options.OverlapThreshold);
        var reports = new List<TaskReport>();
        foreach (var original in tasks)
        {
            var task = options.Instruction is { } instruction ? original with { Manifest = instruction.ApplyTo(original.Manifest) } : original;
            var run = await evaluator.RunAsync(task, progress, cancellationToken).ConfigureAwait(false);
            reports.Add(TaskReportBuilder.Build(run, task, reportOptions));
        }
        var manifest = new RunManifest
        {
            HarnessVersion = HarnessVersion,
            ModelId = backend.ModelId,
            CheckpointHash = options.CheckpointHash,
            TokenizerId = backend.TokenizerId,
            Backend = options.BackendKind,
            Endpoint = options.Endpoint,
            Template = options.Instruction?.Name,
            GenerationSeed = options.Seed,
            BootstrapSeed = options.Seed,
            GeneratorSeeds = tasks.Where(t => t.Manifest.Generator is not null && t.Manifest.Seed is not null)
                .ToDictionary(t => t.Manifest.Name, t => t.Manifest.Seed!.Value, StringComparer.Ordinal),
            BatchSize = options.BatchSize,
            Limit = options.Limit,
            Rotations = options.Rotations,
            ContaminationIndex = options.ContaminationIndexPath,
            StartedAt = started,
            FinishedAt = options.Clock.GetUtcNow(),
        };
        return new RunReport(manifest, reports) { Groups = [.. groups.Select(g => GroupReportBuilder.Build(g, reports))] };
    }
}
