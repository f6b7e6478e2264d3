using Levain.Core;
using System.Globalization;
using System.Text;
using Levain.Evals.Backends;
using Levain.Evals.Caching;
using Levain.Evals.Items;
using Levain.Evals.Metrics;
using Levain.Evals.Tasks;

namespace Levain.Evals.Scoring;

/// <summary>
/// Runs a task against a backend: builds prompts (rotations, few-shot), collects the unique requests, answers what the
/// cache already holds, sends the rest in batches (flushing the cache after every batch so a killed run resumes), and
/// turns the answers into one <see cref="ItemResult"/> per item and rotation. Batch size changes only how requests
/// are grouped, never a score.
/// </summary>
public sealed class Evaluator
{
    private readonly IScoringBackend _backend;
    private readonly EvaluatorOptions _options;
    private readonly ResultCache? _cache;

    public Evaluator(IScoringBackend backend, EvaluatorOptions options, ResultCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        _backend = backend;
        _options = options;
        _cache = cache;
    }

    public async Task<TaskRun> RunAsync(LoadedTask task, IProgress<EvalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        var manifest = _options.Rotations is { } rotations ? task.Manifest with { Rotations = rotations } : task.Manifest;
        var items = _options.Limit is { } limit ? task.Items.Take(limit).ToArray() : task.Items;
        var builder = new PromptBuilder(manifest, task.Items);
        var metrics = ResolveMetrics(manifest, items, builder);
        var isPmiWanted = metrics.Contains(MetricNames.AccPmi);
        var plan = new RequestPlan(_backend, manifest, _options.Seed);
        var prompted = new List<PromptedItem>();
        foreach (var item in items)
        {
            var index = plan.Completion.AddItem();
            for (var r = 0; r < builder.RotationsOf(item); r++)
            {
                var p = builder.Build(item, r);
                prompted.Add(p);
                plan.Add(p, isPmiWanted, index);
            }
        }
        var (cached, scored) = await plan.ResolveAsync(_cache, _options.BatchSize, progress, cancellationToken).ConfigureAwait(false);
        var rows = prompted.Select(p => BuildRow(p, plan, isPmiWanted, manifest)).ToArray();
        return new TaskRun(manifest, rows, metrics, cached, scored);
    }

    private static List<string> ResolveMetrics(TaskManifest manifest, IReadOnlyList<EvalItem> items, PromptBuilder builder)
    {
        if (manifest.Metrics.Count > 0)
        {
            var unknown = manifest.Metrics.FirstOrDefault(m => !MetricNames.All.Contains(m) && !manifest.Filters.Any(f => f.MetricName == m));
            if (unknown is not null)
            {
                throw new InputException(manifest.Name, 0, "metrics", $"unknown metric '{unknown}' (known: {string.Join(", ", MetricNames.All.Order(StringComparer.Ordinal))})");
            }
            return [.. manifest.Metrics.Distinct(StringComparer.Ordinal)];
        }
        return [.. items.Select(builder.FormatOf).Distinct().SelectMany(MetricNames.DefaultsFor)
            .Concat(items.Any(i => builder.FormatOf(i) == ItemFormat.Generate) ? manifest.Filters.Select(f => f.MetricName) : [])
            .Distinct(StringComparer.Ordinal)];
    }

    private static ItemResult BuildRow(PromptedItem p, RequestPlan plan, bool isPmiWanted, TaskManifest manifest)
    {
        var item = p.Item;
        var row = new ItemResult
        {
            ItemId = item.Id,
            Rotation = p.Rotation,
            Cluster = item.Cluster,
            Format = p.Format,
            Prompt = p.Context,
            Quality = item.Quality.Status,
            Meta = item.Meta,
        };
        switch (p.Format)
        {
            case ItemFormat.Rolling:
                var rolling = plan.Rolling(p.Context);
                var result = new RollingResult(rolling.LogLikelihood, rolling.TokenCount, PerplexityMetrics.CountWords(p.Context), rolling.ByteCount);
                return row with
                {
                    Rolling = result,
                    Scores = new Dictionary<string, double>(StringComparer.Ordinal) { ["nll"] = -result.LogLikelihood },
                };
            case ItemFormat.Generate:
                var generated = plan.Generated(p.Context);
                var generationScores = new Dictionary<string, double>(StringComparer.Ordinal)
                {
                    [MetricNames.ExactMatch] = ExactMatch.Score(generated, item.Gold.Texts, manifest.ExactMatch),
                };
                var extracted = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var filter in manifest.Filters)
                {
                    var answer = filter.Apply(generated);
                    extracted[filter.Name] = answer;
                    generationScores[filter.MetricName] = ExactMatch.Score(answer, item.Gold.Texts, manifest.ExactMatch);
                }
                return row with
                {
                    Generated = generated,
                    Extracted = extracted.Count == 0 ? null : extracted,
                    GoldTexts = item.Gold.Texts,
                    Scores = generationScores,
                };
            default:
                var choices = new ChoiceResult[p.Continuations.Count];
                for (var j = 0; j < choices.Length; j++)
                {
                    var score = plan.Score(p.Context, p.Continuations[j]);
                    if (score.TokenCount == 0)
                    {
                        throw new InputException(manifest.SourcePath ?? manifest.Name, 0, $"choices[{p.OriginalIndexAt[j]}]",
                            $"item '{item.Id}': the continuation '{p.Continuations[j]}' has no tokens of its own after the context " +
                            "(it would score 0 and win; lm-eval rejects such continuations)");
                    }
                    double? unconditional = isPmiWanted ? plan.Score(plan.UnconditionalContext, p.Continuations[j]).LogLikelihood : null;
                    var answer = p.AnswerTexts[j];
                    choices[j] = new ChoiceResult(
                        answer,
                        score.LogLikelihood,
                        score.TokenCount,
                        Encoding.UTF8.GetByteCount(answer),
                        answer.EnumerateRunes().Count(),
                        score.IsGreedy,
                        unconditional);
                }
                var outcome = ChoiceMetrics.Compute(choices, p.GoldPositions);
                if (choices.Length == 1)
                {
                    // lm-eval's loglikelihood task: acc is whether the continuation is the greedy one.
                    outcome = outcome with { Scores = new Dictionary<string, double>(outcome.Scores, StringComparer.Ordinal) { [MetricNames.Acc] = choices[0].IsGreedy ? 1 : 0 } };
                }
                return row with
                {
                    GoldPositions = p.GoldPositions,
                    Choices = choices,
                    PredictedPosition = outcome.PredictedPosition,
                    PredictedChoice = p.OriginalIndexAt[outcome.PredictedPosition],
                    Confidence = outcome.Confidence,
                    Scores = outcome.Scores,
                };
        }
    }

    /// <summary>The unique requests of a task, keyed as the cache keys them, and their answers once resolved.</summary>
    private sealed class RequestPlan(IScoringBackend backend, TaskManifest manifest, int seed)
    {
        private readonly Dictionary<string, ScoreRequest> _scoreRequests = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _rollingRequests = new(StringComparer.Ordinal);
        private readonly Dictionary<string, GenerateRequest> _generateRequests = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ContinuationScore> _scores = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);

        public string UnconditionalContext => manifest.UnconditionalContext;

        /// <summary>Which items have every request answered, for progress.</summary>
        public ItemCompletion Completion { get; } = new();

        public void Add(PromptedItem p, bool isPmiWanted, int item)
        {
            switch (p.Format)
            {
                case ItemFormat.Rolling:
                    _rollingRequests.TryAdd(Needs(item, RollingKey(p.Context)), p.Context);
                    break;
                case ItemFormat.Generate:
                    _generateRequests.TryAdd(Needs(item, GenerateKey(p.Context)), new GenerateRequest(p.Context, manifest.Stop, manifest.MaxTokens, seed));
                    break;
                default:
                    foreach (var continuation in p.Continuations)
                    {
                        _scoreRequests.TryAdd(Needs(item, ScoreKey(p.Context, continuation)), new ScoreRequest(p.Context, continuation));
                        if (isPmiWanted)
                        {
                            _scoreRequests.TryAdd(Needs(item, ScoreKey(UnconditionalContext, continuation)), new ScoreRequest(UnconditionalContext, continuation));
                        }
                    }
                    break;
            }
        }

        private string Needs(int item, string key)
        {
            Completion.Needs(item, key);
            return key;
        }

        private EvalProgress Progress(int done, int total, int fromCache) =>
            new(manifest.Name, done, total, fromCache, Completion.Done, Completion.Items);

        public ContinuationScore Score(string context, string continuation) => _scores[ScoreKey(context, continuation)];

        public ContinuationScore Rolling(string text) => _scores[RollingKey(text)];

        public string Generated(string prompt) => _texts[GenerateKey(prompt)];

        public async Task<(int Cached, int Scored)> ResolveAsync(ResultCache? cache, int batchSize, IProgress<EvalProgress>? progress, CancellationToken cancellationToken)
        {
            var total = _scoreRequests.Count + _rollingRequests.Count + _generateRequests.Count;
            var scoreMisses = _scoreRequests.Where(r => !TryCachedScore(cache, r.Key)).ToArray();
            var rollingMisses = _rollingRequests.Where(r => !TryCachedScore(cache, r.Key)).ToArray();
            var generateMisses = _generateRequests.Where(r => !TryCachedText(cache, r.Key)).ToArray();
            var fromCache = total - scoreMisses.Length - rollingMisses.Length - generateMisses.Length;
            var done = fromCache;
            var misses = scoreMisses.Select(m => m.Key).Concat(rollingMisses.Select(m => m.Key)).Concat(generateMisses.Select(m => m.Key)).ToHashSet(StringComparer.Ordinal);
            foreach (var key in _scoreRequests.Keys.Concat(_rollingRequests.Keys).Concat(_generateRequests.Keys).Where(k => !misses.Contains(k)))
            {
                Completion.Answered(key);
            }
            progress?.Report(Progress(done, total, fromCache));
            foreach (var batch in scoreMisses.Chunk(batchSize))
            {
                var answers = await backend.ScoreAsync([.. batch.Select(b => b.Value)], cancellationToken).ConfigureAwait(false);
                done += StoreScores(cache, batch.Select(b => b.Key).ToArray(), answers);
                progress?.Report(Progress(done, total, fromCache));
            }
            foreach (var batch in rollingMisses.Chunk(batchSize))
            {
                var answers = await backend.ScoreRollingAsync([.. batch.Select(b => b.Value)], cancellationToken).ConfigureAwait(false);
                done += StoreScores(cache, batch.Select(b => b.Key).ToArray(), answers);
                progress?.Report(Progress(done, total, fromCache));
            }
            foreach (var batch in generateMisses.Chunk(batchSize))
            {
                var answers = await backend.GenerateAsync([.. batch.Select(b => b.Value)], cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < batch.Length; i++)
                {
                    _texts[batch[i].Key] = answers[i];
                    cache?.AddText(batch[i].Key, answers[i]);
                    Completion.Answered(batch[i].Key);
                }
                cache?.Flush();
                done += batch.Length;
                progress?.Report(Progress(done, total, fromCache));
            }
            return (fromCache, total - fromCache);
        }

        private int StoreScores(ResultCache? cache, string[] keys, IReadOnlyList<ContinuationScore> answers)
        {
            if (answers.Count != keys.Length)
            {
                throw new InvalidOperationException($"the backend answered {answers.Count} of {keys.Length} requests");
            }
            for (var i = 0; i < keys.Length; i++)
            {
                _scores[keys[i]] = answers[i];
                cache?.AddScore(keys[i], answers[i]);
                Completion.Answered(keys[i]);
            }
            cache?.Flush();
            return keys.Length;
        }

        private bool TryCachedScore(ResultCache? cache, string key)
        {
            if (cache is not null && cache.TryGetScore(key, out var score))
            {
                _scores[key] = score;
                return true;
            }
            return false;
        }

        private bool TryCachedText(ResultCache? cache, string key)
        {
            if (cache is not null && cache.TryGetText(key, out var text))
            {
                _texts[key] = text;
                return true;
            }
            return false;
        }

        private string ScoreKey(string context, string continuation) =>
            ResultCache.KeyOf(backend.ModelId, backend.TokenizerId, "score", context, continuation);

        private string RollingKey(string text) => ResultCache.KeyOf(backend.ModelId, backend.TokenizerId, "rolling", text);

        private string GenerateKey(string prompt) => ResultCache.KeyOf(
            backend.ModelId,
            backend.TokenizerId,
            "generate",
            prompt,
            string.Join('\u001f', manifest.Stop),
            manifest.MaxTokens.ToString(CultureInfo.InvariantCulture),
            seed.ToString(CultureInfo.InvariantCulture),
            "temperature=0");
    }
}
