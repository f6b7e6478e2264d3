using System.Diagnostics;
using Levain.Lm.Checkpoints;
using Levain.Lm.Evaluation;
using Levain.Lm.Model;
using Levain.Lm.Scoring;
using Levain.Lm.Tokenization;
using Levain.Lm.Training;
using Levain.Synthetic;
using Levain.Synthetic.Code;
using Levain.Synthetic.Code.Corpus;
using Levain.Synthetic.Code.Items;
using static TorchSharp.torch;

namespace Levain.Lm.Runs;

/// <summary>
/// One training run end to end: data → tokenizer → model → trainer (with held-out evaluation) → checkpoint → result.
/// The seed fixes everything: the weight initialisation and batch order come from torch generators seeded from it,
/// and the code task's training stream starts at a seed-dependent offset of the training seed range.
/// </summary>
public static partial class TrainingRun
{
    /// <summary>How many held-out items (from the start of the held-out range) the training stream is guarded against.</summary>
    public const int GuardedHeldOutItems = 512;

    public static TrainRunResult Run(TrainRunSpec spec, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        long started = Stopwatch.GetTimestamp();
        set_num_threads(spec.Training.Threads);
        int width = RoundUpToMultiple(spec.Width, spec.Heads);
        if (spec.DataFile is not null && Data.DataManifestPath.IsManifest(spec.DataFile))
        {
            return RunShards(spec, width, started, progress, cancellationToken);
        }
        return spec.DataFile is null
            ? RunCodeTask(spec, width, started, progress, cancellationToken)
            : RunTextFile(spec, width, started, progress, cancellationToken);
    }

    /// <summary>Width rounded up to a multiple of the head count, so any tuner suggestion is a valid shape.</summary>
    public static int RoundUpToMultiple(int width, int heads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        return (width + heads - 1) / heads * heads;
    }

    private static TrainRunResult RunCodeTask(TrainRunSpec spec, int width, long started, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ITextTokenizer tokenizer = RunModel.InitTokenizer(spec) ?? ByteTokenizer.Instance;
        var program = GeneratorOptions.Preset(spec.Difficulty)
            ?? throw new ArgumentException($"unknown difficulty '{spec.Difficulty}' (known: {string.Join(", ", GeneratorOptions.PresetNames)})", nameof(spec));
        // The training stream never contains a program of the first GuardedHeldOutItems held-out items, so items past
        // the ones scored during training stay clean for a final, selection-free evaluation (levain demo uses them).
        IReadOnlyList<CodeItem> guarded = CodeComprehensionEvaluation.HeldOutItems(Math.Max(spec.EvalItems, GuardedHeldOutItems), new CodeItemOptions { Program = program });
        IReadOnlyList<CodeItem> items = guarded.Take(spec.EvalItems).ToList();
        var corpus = new TrainingCorpusOptions
        {
            Mix = [new MixComponent(program, 1.0)],
            Guard = HeldOutGuard.For(guarded),
            StartSeed = SeedRanges.Training.Start + (int)(Math.Abs(spec.Training.Seed % 1000) * 1_000_000),
            FollowUpQuestions = spec.FollowUps,
        };
        var documents = TrainingCorpus.Documents(corpus).Select(tokenizer.Encode);
        // Rows start at a document start, where an evaluation prompt starts too (see PackedDocumentBatches).
        var batches = new PackedDocumentBatches(documents, tokenizer.EndOfTextId, spec.Training.BatchSize, spec.Context);

        using var run = RunModel.Create(spec, new GptConfig(tokenizer.VocabularySize, spec.Context, spec.Depth, spec.Heads, width), tokenizer);
        Gpt model = run.Model;
        GptConfig config = model.Config;
        using var scorer = CheckpointScorer.ForModel(model, tokenizer, "training");
        HeldOutScore? last = null;
        Func<int, IReadOnlyDictionary<string, double>>? evaluate = items.Count == 0 ? null : _ =>
        {
            last = CodeComprehensionEvaluation.ScoreAsync(scorer, items, cancellationToken).GetAwaiter().GetResult();
            return new Dictionary<string, double> { ["nll_correct"] = last.NllCorrect, ["acc"] = last.Accuracy };
        };
        TrainingSummary summary;
        var metrics = new Dictionary<string, double>();
        using (var trainer = new GptTrainer(model, spec.Training))
        {
            run.ResumeIfAsked(trainer, batches);
            summary = trainer.Train(batches, progress, evaluate, cancellationToken, run.CheckpointCallback(trainer));
            metrics["loss"] = summary.FinalLoss;
            if (last is not null)
            {
                metrics["nll_correct"] = last.NllCorrect;
                metrics["acc"] = last.Accuracy;
            }
            run.SaveFinal(trainer, metrics);
        }
        return new TrainRunResult(last?.NllCorrect, last?.Accuracy, last?.ChanceNll, items.Count, null, summary.FinalLoss, summary.Tokens,
            Stopwatch.GetElapsedTime(started).TotalSeconds, summary.Seconds, summary.Flops, config.ParameterCount,
            summary.TokensPerSecond, summary.Mfu, config.Width, tokenizer.Id, run.OutputDirectory);
    }

    private static TrainRunResult RunTextFile(TrainRunSpec spec, int width, long started, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        string text = Data.TextFileReader.ReadAll(spec.DataFile!);
        ITextTokenizer tokenizer = RunModel.InitTokenizer(spec) ?? (spec.Tokenizer == ByteTokenizer.TokenizerId
            ? ByteTokenizer.Instance
            : TiktokenTokenizer.Encodings.Contains(spec.Tokenizer)
                ? TiktokenTokenizer.Fit(spec.Tokenizer, [text])
                : TokenizerFiles.Load(spec.Tokenizer));
        IReadOnlyList<int> tokens = tokenizer.Encode(text);
        int split = (int)(tokens.Count * 0.9);
        var train = tokens.Take(split).ToList();
        var validation = tokens.Skip(split).ToList();
        if (train.Count < spec.Context + 2 || validation.Count < spec.Context + 2)
        {
            throw new ArgumentException($"{spec.DataFile}: {tokens.Count} tokens are too few for a context of {spec.Context} (need {(spec.Context + 2) * 10} or more)");
        }
        using var run = RunModel.Create(spec, new GptConfig(tokenizer.VocabularySize, spec.Context, spec.Depth, spec.Heads, width), tokenizer);
        Gpt model = run.Model;
        GptConfig config = model.Config;
        using var dataGenerator = new Generator((ulong)spec.Training.Seed + 1);
        var batches = new RandomWindowBatches(train, spec.Training.BatchSize, spec.Context, dataGenerator);
        double? validationLoss = null;
        Func<int, IReadOnlyDictionary<string, double>> evaluate = _ =>
        {
            validationLoss = ValidationLoss(model, validation, spec.Context, spec.Training.BatchSize);
            return new Dictionary<string, double> { ["val_loss"] = validationLoss.Value };
        };
        TrainingSummary summary;
        using (var trainer = new GptTrainer(model, spec.Training))
        {
            run.ResumeIfAsked(trainer, batches);
            summary = trainer.Train(batches, progress, evaluate, cancellationToken, run.CheckpointCallback(trainer));
            run.SaveFinal(trainer, new Dictionary<string, double> { ["loss"] = summary.FinalLoss, ["val_loss"] = validationLoss ?? double.NaN });
        }
        return new TrainRunResult(null, null, null, 0, validationLoss, summary.FinalLoss, summary.Tokens,
            Stopwatch.GetElapsedTime(started).TotalSeconds, summary.Seconds, summary.Flops, config.ParameterCount,
            summary.TokensPerSecond, summary.Mfu, config.Width, tokenizer.Id, run.OutputDirectory);
    }

    /// <summary>Mean next-token loss over up to 32 consecutive, non-overlapping windows of the validation tokens.</summary>
    private static double ValidationLoss(Gpt model, List<int> validation, int context, int batchSize)
    {
        int windows = Math.Min(32, (validation.Count - 1) / context);
        double sum = 0;
        for (int start = 0; start < windows; start += batchSize)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            int rows = Math.Min(batchSize, windows - start);
            var inputs = new long[rows * context];
            var targets = new long[rows * context];
            for (int row = 0; row < rows; row++)
            {
                int offset = (start + row) * context;
                for (int i = 0; i < context; i++)
                {
                    inputs[row * context + i] = validation[offset + i];
                    targets[row * context + i] = validation[offset + i + 1];
                }
            }
            Tensor logits = model.forward(tensor(inputs, [rows, context], ScalarType.Int64).to(model.Device));           // (B, T, V)
            sum += Gpt.Loss(logits, tensor(targets, [rows, context], ScalarType.Int64).to(model.Device)).item<float>() * rows;
        }
        return sum / windows;
    }
}
