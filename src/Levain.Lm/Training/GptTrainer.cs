using Levain.Lm.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Levain.Lm.Training;

/// <summary>
/// Trains a <see cref="Gpt"/> with AdamW (decay on matrices only), warmup + cosine learning rate and gradient
/// clipping. The optimizer is built here, outside any dispose scope; every step runs in its own scope so native
/// memory stays flat. The trainer sets the torch thread count but never touches the global random generator: all
/// randomness lives in the model's initialisation and the batch source.
/// </summary>
public sealed class GptTrainer : IDisposable
{
    private readonly Gpt _model;
    private readonly TrainingOptions _options;
    private readonly AdamW _optimizer;
    private readonly List<Parameter> _parameters;
    private readonly TimeProvider _time;

    /// <param name="trainable">The parameters to optimise (default: all of the model's); fine-tuning with LoRA passes its adapters.</param>
    public GptTrainer(Gpt model, TrainingOptions options, TimeProvider? time = null, IReadOnlyList<(string Name, Parameter Parameter)>? trainable = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _model = model;
        _options = options;
        _time = time ?? TimeProvider.System;
        var named = trainable?.ToList() ?? model.named_parameters().Select(p => (p.name, p.parameter)).ToList();
        _parameters = named.Select(p => p.Item2).ToList();
        // Two groups: matrices (embeddings, linear weights) decay; biases and LayerNorm gains do not.
        var decayed = named.Where(p => p.Item2.dim() >= 2).Select(p => p.Item2).ToList();
        var undecayed = named.Where(p => p.Item2.dim() < 2).Select(p => p.Item2).ToList();
        _optimizer = optim.AdamW(
            [
                new AdamW.ParamGroup(decayed, lr: options.LearningRate, beta1: options.Beta1, beta2: options.Beta2, eps: 1e-8, weight_decay: options.WeightDecay),
                new AdamW.ParamGroup(undecayed, lr: options.LearningRate, beta1: options.Beta1, beta2: options.Beta2, eps: 1e-8, weight_decay: 0.0),
            ],
            lr: options.LearningRate, beta1: options.Beta1, beta2: options.Beta2, weight_decay: options.WeightDecay);
    }

    /// <summary>
    /// Runs <see cref="TrainingOptions.Steps"/> steps from <paramref name="batches"/>. <paramref name="evaluate"/>, when
    /// given, runs every <see cref="TrainingOptions.EvalEvery"/> steps and after the last step (outside the timed
    /// region, with the model in eval mode) and its metrics are attached to that step's progress event.
    /// </summary>
    public TrainingSummary Train(
        ITokenBatchSource batches,
        IProgress<TrainingProgress>? progress = null,
        Func<int, IReadOnlyDictionary<string, double>>? evaluate = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        set_num_threads(_options.Threads);
        double flopsPerToken = _model.Config.TrainingFlopsPerToken(batches.SequenceLength);
        long tokensPerStep = (long)batches.BatchSize * batches.SequenceLength;
        var lossTrace = new List<double>(_options.Steps);
        double trainingSeconds = 0, windowSeconds = 0;
        long windowTokens = 0;
        _model.train();
        for (int step = 0; step < _options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double learningRate = LearningRateSchedule.At(step, _options);
            long started = _time.GetTimestamp();
            var (loss, gradNorm) = Step(batches, learningRate);
            double seconds = _time.GetElapsedTime(started).TotalSeconds;
            trainingSeconds += seconds;
            windowSeconds += seconds;
            windowTokens += tokensPerStep;
            lossTrace.Add(loss);

            int done = step + 1;
            bool isLast = done == _options.Steps;
            IReadOnlyDictionary<string, double>? metrics = null;
            if (evaluate is not null && (isLast || (_options.EvalEvery > 0 && done % _options.EvalEvery == 0)))
            {
                _model.eval();
                metrics = evaluate(done);
                _model.train();
            }
            if (progress is not null && (done == 1 || isLast || done % _options.ProgressEvery == 0 || metrics is not null))
            {
                double tokensPerSecond = windowSeconds > 0 ? windowTokens / windowSeconds : 0;
                progress.Report(new TrainingProgress(done, _options.Steps, loss, learningRate, gradNorm, done * tokensPerStep,
                    trainingSeconds, tokensPerSecond, tokensPerSecond * flopsPerToken / (_options.PeakFlopsPerSecond * _options.Threads), metrics));
                windowSeconds = 0;
                windowTokens = 0;
            }
        }
        long tokens = _options.Steps * tokensPerStep;
        double overallTokensPerSecond = trainingSeconds > 0 ? tokens / trainingSeconds : 0;
        int tail = Math.Min(10, lossTrace.Count);
        return new TrainingSummary(_options.Steps, tokens, trainingSeconds, tokens * flopsPerToken, lossTrace.TakeLast(tail).Average(),
            lossTrace, overallTokensPerSecond, overallTokensPerSecond * flopsPerToken / (_options.PeakFlopsPerSecond * _options.Threads));
    }

    private (double Loss, double GradNorm) Step(ITokenBatchSource batches, double learningRate)
    {
        using var scope = NewDisposeScope();
        foreach (var group in _optimizer.ParamGroups)
        {
            group.LearningRate = learningRate;
        }
        var (inputs, targets) = batches.Next();   // (B, T), (B, T)
        Tensor logits = _model.forward(inputs);   // (B, T, V)
        Tensor loss = Gpt.Loss(logits, targets);  // ()
        _optimizer.zero_grad();
        loss.backward();
        double gradNorm = _options.GradClip > 0
            ? nn.utils.clip_grad_norm_(_parameters, _options.GradClip)
            : double.NaN;
        _optimizer.step();
        return (loss.item<float>(), gradNorm);
    }

    public void Dispose() => _optimizer.Dispose();
}
