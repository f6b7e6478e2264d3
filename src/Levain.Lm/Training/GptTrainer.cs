using Levain.Lm.Model;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Levain.Lm.Training;

/// <summary>
/// Trains a <see cref="Gpt"/> with AdamW (<see cref="FlatAdamW"/>: decay on matrices only), warmup + cosine learning rate, gradient clipping,
/// optional gradient accumulation and dropout. The optimizer is built here, outside any dispose scope; every step runs
/// in its own scope so native memory stays flat. The trainer sets the torch thread count but never touches the global
/// random generator: randomness lives in the model's initialisation, the batch source and the trainer's own dropout
/// generator (seeded from <see cref="TrainingOptions.Seed"/>). Batches move to the model's device. A run can be
/// captured (<see cref="CaptureState"/>, <see cref="OptimizerTensors"/>) and restored (<see cref="Restore"/>) so a
/// resumed run continues bit for bit.
/// </summary>
public sealed class GptTrainer : IDisposable
{
    private readonly Gpt _model;
    private readonly TrainingOptions _options;
    private readonly FlatAdamW _optimizer;
    private readonly TimeProvider _time;
    private readonly Generator _dropoutGenerator;
    private readonly BatchSplit? _split;
    private int _startStep;
    private long _startTokens;
    private double _startSeconds;
    private List<double> _startTrace = [];

    /// <param name="trainable">The parameters to optimise (default: all of the model's); fine-tuning with LoRA passes its adapters.</param>
    public GptTrainer(Gpt model, TrainingOptions options, TimeProvider? time = null, IReadOnlyList<(string Name, Parameter Parameter)>? trainable = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _model = model;
        _options = options;
        _time = time ?? TimeProvider.System;
        var named = trainable?.Select(p => (name: p.Name, parameter: p.Parameter)).ToList()
            ?? model.named_parameters().Select(p => (name: p.name, parameter: p.parameter)).ToList();
        _dropoutGenerator = new Generator((ulong)options.Seed + 2, model.Device);
        model.Dropout = options.Dropout;
        model.DropoutGenerator = _dropoutGenerator;
        // Matrices (embeddings, linear weights) decay; biases and LayerNorm gains do not. The optimizer re-points the
        // parameters at slices of its flat buffers.
        _optimizer = new FlatAdamW(named, options.Beta1, options.Beta2, epsilon: 1e-8, options.WeightDecay);
        _split = BatchSplit.TryCreate(model, options, _optimizer, wholeModel: trainable is null);
    }

    /// <summary>Threads each batch is split over (1: not split; see <see cref="TrainingOptions.SplitBatch"/>).</summary>
    public int SplitThreads => _split?.Threads ?? 1;

    /// <summary>Optimizer steps already done (non-zero after <see cref="Restore"/>).</summary>
    public int StartStep => _startStep;

    /// <summary>
    /// Runs steps <see cref="StartStep"/>… to <see cref="TrainingOptions.Steps"/> from <paramref name="batches"/>.
    /// <paramref name="evaluate"/>, when given, runs every <see cref="TrainingOptions.EvalEvery"/> steps and after the
    /// last step (outside the timed region, with the model in eval mode) and its metrics are attached to that step's
    /// progress event. <paramref name="checkpoint"/>, when given, receives the state every
    /// <see cref="TrainingOptions.CheckpointEvery"/> steps and after the last step.
    /// </summary>
    public TrainingSummary Train(
        ITokenBatchSource batches,
        IProgress<TrainingProgress>? progress = null,
        Func<int, IReadOnlyDictionary<string, double>>? evaluate = null,
        CancellationToken cancellationToken = default,
        Action<TrainerState>? checkpoint = null)
    {
        ArgumentNullException.ThrowIfNull(batches);
        set_num_threads(_options.Threads);
        double flopsPerToken = _model.Config.TrainingFlopsPerToken(batches.SequenceLength);
        long tokensPerStep = (long)batches.BatchSize * batches.SequenceLength * _options.GradientAccumulation;
        var lossTrace = new List<double>(_startTrace);
        double trainingSeconds = _startSeconds, windowSeconds = 0;
        long windowTokens = 0;
        long tokens = _startTokens;
        using var prefetched = _options.Prefetch > 0 ? new PrefetchingBatches(batches, _options.Prefetch) : null;
        ITokenBatchSource source = prefetched ?? batches;
        _model.train();
        for (int step = _startStep; step < _options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double learningRate = LearningRateSchedule.At(step, _options);
            long started = _time.GetTimestamp();
            var (loss, gradNorm) = Step(source, learningRate);
            double seconds = _time.GetElapsedTime(started).TotalSeconds;
            trainingSeconds += seconds;
            windowSeconds += seconds;
            windowTokens += tokensPerStep;
            tokens += tokensPerStep;
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
            if (progress is not null && (done == _startStep + 1 || isLast || done % _options.ProgressEvery == 0 || metrics is not null))
            {
                double tokensPerSecond = windowSeconds > 0 ? windowTokens / windowSeconds : 0;
                progress.Report(new TrainingProgress(done, _options.Steps, loss, learningRate, gradNorm, tokens,
                    trainingSeconds, tokensPerSecond, tokensPerSecond * flopsPerToken / (_options.PeakFlopsPerSecond * _options.Threads), metrics)
                {
                    Flops = tokens * flopsPerToken,
                });
                windowSeconds = 0;
                windowTokens = 0;
            }
            if (checkpoint is not null && (isLast || (_options.CheckpointEvery > 0 && done % _options.CheckpointEvery == 0)))
            {
                checkpoint(CaptureState(source, done, tokens, trainingSeconds, lossTrace));
            }
        }
        int stepsRun = _options.Steps - _startStep;
        long runTokens = tokens - _startTokens;
        double runSeconds = trainingSeconds - _startSeconds;
        double overallTokensPerSecond = runSeconds > 0 ? runTokens / runSeconds : 0;
        int tail = Math.Min(10, lossTrace.Count);
        double finalLoss = tail > 0 ? lossTrace.TakeLast(tail).Average() : double.NaN;
        return new TrainingSummary(stepsRun, tokens, trainingSeconds, tokens * flopsPerToken, finalLoss,
            lossTrace, overallTokensPerSecond, overallTokensPerSecond * flopsPerToken / (_options.PeakFlopsPerSecond * _options.Threads));
    }

    /// <summary>AdamW's per-parameter state as named tensors: <c>NAME.exp_avg</c>, <c>NAME.exp_avg_sq</c> (float32) and <c>NAME.step</c> (int64 scalar).</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> OptimizerTensors()
    {
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var (name, expAvg, expAvgSq) in _optimizer.States)
        {
            tensors.Add(new($"{name}.exp_avg", expAvg));
            tensors.Add(new($"{name}.exp_avg_sq", expAvgSq));
            tensors.Add(new($"{name}.step", tensor(_optimizer.StepCount)));
        }
        return tensors;
    }

    /// <summary>
    /// Continues from a captured state: step counter, loss trace, time and token totals, dropout generator, AdamW
    /// moments (from <paramref name="optimizer"/>, named as <see cref="OptimizerTensors"/> names them) and, when the
    /// state has one, the batch position. Throws <see cref="InvalidDataException"/> naming <paramref name="source"/> for a mismatch.
    /// </summary>
    public void Restore(TrainerState state, IReadOnlyDictionary<string, Tensor> optimizer, ITokenBatchSource batches, string source)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(batches);
        if (state.Step > _options.Steps)
        {
            throw new InvalidDataException($"{source}: field 'step': the checkpoint is at step {state.Step}, past this run's {_options.Steps} steps");
        }
        using (no_grad())
        {
            long? steps = null;
            foreach (var (name, expAvg, expAvgSq) in _optimizer.States)
            {
                expAvg.copy_(Lookup(optimizer, $"{name}.exp_avg", expAvg, source));
                expAvgSq.copy_(Lookup(optimizer, $"{name}.exp_avg_sq", expAvgSq, source));
                if (!optimizer.TryGetValue($"{name}.step", out Tensor? step))
                {
                    throw new InvalidDataException($"{source}: tensor '{name}.step' is missing");
                }
                long value = step.item<long>();
                if (steps is long other && other != value)
                {
                    throw new InvalidDataException($"{source}: tensor '{name}.step' is {value}, other parameters' {other}: AdamW state from different runs");
                }
                steps = value;
            }
            _optimizer.StepCount = steps ?? 0;
        }
        using (Tensor rng = tensor(Convert.FromBase64String(state.DropoutGeneratorState), ScalarType.Byte))
        {
            _dropoutGenerator.set_state(rng);
        }
        if (state.BatchSourceState is not null)
        {
            var resumable = batches as IResumableBatchSource
                ?? throw new InvalidDataException($"{source}: field 'batches': this run's batch source cannot restore a data position");
            resumable.RestoreState(state.BatchSourceState);
        }
        _startStep = state.Step;
        _startTokens = state.Tokens;
        _startSeconds = state.TrainingSeconds;
        _startTrace = [.. state.LossTrace];
    }

    private static Tensor Lookup(IReadOnlyDictionary<string, Tensor> optimizer, string name, Tensor like, string source)
    {
        if (!optimizer.TryGetValue(name, out Tensor? value))
        {
            throw new InvalidDataException($"{source}: tensor '{name}' is missing");
        }
        if (!value.shape.SequenceEqual(like.shape))
        {
            throw new InvalidDataException($"{source}: tensor '{name}' has shape [{string.Join(", ", value.shape)}], expected [{string.Join(", ", like.shape)}]");
        }
        return value;
    }

    private TrainerState CaptureState(ITokenBatchSource batches, int step, long tokens, double seconds, List<double> lossTrace)
    {
        using Tensor rng = _dropoutGenerator.get_state();
        string dropoutState = Convert.ToBase64String(rng.data<byte>().ToArray());
        string? batchState = batches switch
        {
            PrefetchingBatches { IsResumable: true } prefetching => prefetching.SaveState(),
            PrefetchingBatches => null,
            IResumableBatchSource resumable => resumable.SaveState(),
            _ => null,
        };
        return new TrainerState(TrainerState.CurrentFormat, step, _options.Steps, tokens, seconds, [.. lossTrace], dropoutState, batchState);
    }

    private (double Loss, double GradNorm) Step(ITokenBatchSource batches, double learningRate)
    {
        using var scope = NewDisposeScope();
        using var noCollection = new NoCollectionScope();
        _optimizer.ZeroGrad();
        int micro = _options.GradientAccumulation;
        double lossSum = 0;
        Device device = _model.Device;
        for (int m = 0; m < micro; m++)
        {
            var (inputs, targets) = batches.Next();     // (B, T), (B, T)
            if (device.type != DeviceType.CPU)
            {
                inputs = inputs.to(device);
                targets = targets.to(device);
            }
            if (_split is not null)
            {
                lossSum += _split.ForwardBackward(inputs, targets, micro);
                continue;
            }
            Tensor logits = _model.forward(inputs);    // (B, T, V)
            Tensor loss = Gpt.Loss(logits, targets);   // ()
            (micro == 1 ? loss : loss / micro).backward();
            lossSum += loss.item<float>();
        }
        _optimizer.ReduceReplicaGradients();
        double gradNorm = _options.GradClip > 0 ? _optimizer.ClipGradNorm(_options.GradClip) : double.NaN;
        _optimizer.Step(learningRate);
        return (lossSum / micro, gradNorm);
    }

    public void Dispose()
    {
        _split?.Dispose();
        _optimizer.Dispose();
        if (_model.DropoutGenerator == _dropoutGenerator)
        {
            _model.DropoutGenerator = null;
        }
        _dropoutGenerator.Dispose();
    }
}
