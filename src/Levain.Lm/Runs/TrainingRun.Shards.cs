using Levain.Core;
using System.Diagnostics;
using Levain.Lm.Data;
using Levain.Lm.Model;
using Levain.Lm.Tokenization;
using Levain.Lm.Training;
using static TorchSharp.torch;

namespace Levain.Lm.Runs;

public static partial class TrainingRun
{
    /// <summary>
    /// Trains on a prepared data directory: batches streamed from the shards by mix weight, validation loss per source
    /// on a fixed sample of windows. The tokenizer comes from the manifest; a <c>--tokenizer</c> given as a file or
    /// directory must hash to the manifest's tokenizer id.
    /// </summary>
    private static TrainRunResult RunShards(TrainRunSpec spec, int width, long started, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var (manifest, directory) = DataManifest.Load(spec.DataFile!);
        string manifestFile = Path.Combine(directory, DataManifest.FileName);
        ITextTokenizer tokenizer = TokenizerFactory.FromSpec(manifest.Tokenizer);
        if (spec.Tokenizer != ByteTokenizer.TokenizerId || manifest.Tokenizer.Kind == ByteTokenizer.TokenizerId)
        {
            ITextTokenizer given = TokenizerFiles.Load(spec.Tokenizer);
            if (given.Id != manifest.Tokenizer.Id)
            {
                throw LmInputError.Data(spec.Tokenizer, $"tokenizer {given.Id} does not match the shards of {manifestFile}, which were made with {manifest.Tokenizer.Id}");
            }
        }
        IReadOnlyDictionary<string, double> weights = spec.Mix is null
            ? manifest.Sources.ToDictionary(s => s.Name, s => (double)s.Train.Tokens)
            : MixWeights.Parse(spec.Mix);
        var validation = ValidationWindows.Read(manifest, directory, spec.Context, spec.ValidationWindows);
        var config = new GptConfig(tokenizer.VocabularySize, spec.Context, spec.Depth, spec.Heads, width);
        using var run = RunModel.Create(spec, config, tokenizer);
        Gpt model = run.Model;
        config = model.Config;
        using var batches = new ShardBatches(manifest, directory, weights, spec.Training.BatchSize, spec.Context, (ulong)spec.Training.Seed * 0x9E3779B97F4A7C15UL + 1);
        Dictionary<string, double> losses = [];
        Func<int, IReadOnlyDictionary<string, double>> evaluate = _ =>
        {
            losses = validation.Where(v => v.Value.Length > 0).ToDictionary(v => v.Key, v => WindowLoss(model, v.Value, spec.Training.BatchSize));
            var metrics = losses.ToDictionary(l => $"val_loss_{l.Key}", l => l.Value);
            if (losses.Count > 0)
            {
                metrics["val_loss"] = WeightedLoss(losses, weights);
            }
            return metrics;
        };
        TrainingSummary summary;
        using (var trainer = new GptTrainer(model, spec.Training))
        {
            run.ResumeIfAsked(trainer, batches);
            summary = trainer.Train(batches, progress, evaluate, cancellationToken, run.CheckpointCallback(trainer));
            var checkpointMetrics = new Dictionary<string, double> { ["loss"] = summary.FinalLoss };
            foreach (var (name, loss) in losses)
            {
                checkpointMetrics[$"val_loss_{name}"] = loss;
            }
            run.SaveFinal(trainer, checkpointMetrics);
        }
        double? validationLoss = losses.Count > 0 ? WeightedLoss(losses, weights) : null;
        return new TrainRunResult(null, null, null, 0, validationLoss, summary.FinalLoss, summary.Tokens,
            Stopwatch.GetElapsedTime(started).TotalSeconds, summary.Seconds, summary.Flops, config.ParameterCount,
            summary.TokensPerSecond, summary.Mfu, config.Width, tokenizer.Id, run.OutputDirectory) { SourceLosses = losses };
    }

    /// <summary>The mix-weighted mean over the sources in the mix (plain mean when none of them has validation data).</summary>
    private static double WeightedLoss(IReadOnlyDictionary<string, double> losses, IReadOnlyDictionary<string, double> weights)
    {
        double total = losses.Sum(l => weights.GetValueOrDefault(l.Key));
        return total > 0 ? losses.Sum(l => l.Value * weights.GetValueOrDefault(l.Key)) / total : losses.Values.Average();
    }

    /// <summary>Mean next-token loss over windows of T + 1 tokens.</summary>
    private static double WindowLoss(Gpt model, long[][] windows, int batchSize)
    {
        int t = windows[0].Length - 1;
        double sum = 0;
        for (int start = 0; start < windows.Length; start += batchSize)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            int rows = Math.Min(batchSize, windows.Length - start);
            var inputs = new long[rows * t];
            var targets = new long[rows * t];
            for (int row = 0; row < rows; row++)
            {
                Array.Copy(windows[start + row], 0, inputs, row * t, t);
                Array.Copy(windows[start + row], 1, targets, row * t, t);
            }
            Tensor logits = model.forward(tensor(inputs, [rows, t], ScalarType.Int64));                    // (B, T, V)
            sum += Gpt.Loss(logits, tensor(targets, [rows, t], ScalarType.Int64)).item<float>() * rows;
        }
        return sum / windows.Length;
    }
}
