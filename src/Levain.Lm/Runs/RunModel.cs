using Levain.Lm.Checkpoints;
using Levain.Lm.Model;
using Levain.Lm.Tokenization;
using Levain.Lm.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Levain.Lm.Runs;

/// <summary>
/// The model side of a training run, shared by every kind of data: the device, a fresh model or one initialised from a
/// checkpoint (<see cref="TrainRunSpec.InitFrom"/>, which also fixes the tokenizer and shape), resuming a run
/// (<see cref="TrainRunSpec.ResumeFrom"/>), periodic checkpoints and the final one. Problems with the user's
/// checkpoint directories are <see cref="InvalidDataException"/>/<see cref="FileNotFoundException"/> naming the file and field.
/// </summary>
internal sealed class RunModel : IDisposable
{
    private readonly TrainRunSpec _spec;
    private readonly LoadedCheckpoint? _init;
    private readonly Gpt? _ownModel;
    private TrainerState? _finalState;

    private RunModel(TrainRunSpec spec, Device device, LoadedCheckpoint? init, Gpt model, ITextTokenizer tokenizer)
    {
        _spec = spec;
        Device = device;
        _init = init;
        _ownModel = init is null ? model : null;
        Model = model;
        Tokenizer = tokenizer;
        OutputDirectory = spec.OutputDirectory ?? (spec.ResumeFrom is null ? null : RunDirectoryOf(spec.ResumeFrom));
    }

    public Device Device { get; }

    public Gpt Model { get; }

    public ITextTokenizer Tokenizer { get; }

    /// <summary>Where checkpoints go: --out, or when resuming without it, the resumed run's directory.</summary>
    public string? OutputDirectory { get; }

    /// <summary>The tokenizer of the init checkpoint, or null when the run picks its own (read before tokenizing data).</summary>
    public static ITextTokenizer? InitTokenizer(TrainRunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.InitFrom is null)
        {
            return null;
        }
        CheckpointConfig config = Checkpoint.ReadConfig(spec.InitFrom);
        try
        {
            return TokenizerFactory.FromSpec(config.Tokenizer);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{Path.Combine(spec.InitFrom, Checkpoint.ConfigFileName)}: field 'tokenizer': {e.Message}", e);
        }
    }

    /// <summary>Builds the model on the spec's device: from <see cref="TrainRunSpec.InitFrom"/>'s weights, else freshly initialised with <paramref name="freshConfig"/>.</summary>
    public static RunModel Create(TrainRunSpec spec, GptConfig freshConfig, ITextTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Device device = ComputeDevice.Parse(spec.Device);
        if (spec.ResumeFrom is null && spec.OutputDirectory is not null && TrainingCheckpoint.Periodic(spec.OutputDirectory).Count > 0)
        {
            throw new InvalidDataException($"{Path.Combine(spec.OutputDirectory, TrainingCheckpoint.PeriodicFolderName)}: holds checkpoints of an earlier run; pass --resume {spec.OutputDirectory} to continue it, or choose another --out");
        }
        if (spec.InitFrom is not null)
        {
            LoadedCheckpoint init = Checkpoint.Load(spec.InitFrom, device);
            if (spec.Context > init.Model.Config.BlockSize)
            {
                init.Dispose();
                throw new InvalidDataException($"{Path.Combine(spec.InitFrom, Checkpoint.ConfigFileName)}: field 'block_size': the checkpoint's context is {init.Model.Config.BlockSize} tokens, shorter than this run's context {spec.Context}");
            }
            init.Model.train();
            return new RunModel(spec, device, init, init.Model, init.Tokenizer);
        }
        using var generator = new Generator((ulong)spec.Training.Seed);
        var model = new Gpt(freshConfig, generator);
        if (device.type != DeviceType.CPU)
        {
            model.to(device);
        }
        return new RunModel(spec, device, null, model, tokenizer);
    }

    /// <summary>Restores weights, optimizer, step, generators and data position when the spec resumes a run.</summary>
    public void ResumeIfAsked(GptTrainer trainer, ITokenBatchSource batches)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        if (_spec.ResumeFrom is null)
        {
            return;
        }
        string directory = TrainingCheckpoint.Locate(_spec.ResumeFrom);
        string configPath = Path.Combine(directory, Checkpoint.ConfigFileName);
        CheckpointConfig config = Checkpoint.ReadConfig(directory);
        if (config.Format != CheckpointConfig.CurrentFormat)
        {
            throw new InvalidDataException($"{configPath}: field 'format': a resumable checkpoint is a Levain one; use --init-from for a {config.Format} directory");
        }
        CheckShape(configPath, config.Model, Model.Config);
        if (config.Tokenizer.Id != Tokenizer.Id)
        {
            throw new InvalidDataException($"{configPath}: field 'tokenizer.id': the checkpoint's tokenizer is '{config.Tokenizer.Id}', this run's is '{Tokenizer.Id}'");
        }
        if (config.Training is { } training && (training.BatchSize != _spec.Training.BatchSize || training.GradientAccumulation != _spec.Training.GradientAccumulation))
        {
            throw new InvalidDataException($"{configPath}: field 'training.batch_size': the checkpoint trained with batch {training.BatchSize} × {training.GradientAccumulation} accumulation, this run with {_spec.Training.BatchSize} × {_spec.Training.GradientAccumulation}");
        }
        string weightsPath = Path.Combine(directory, Checkpoint.WeightsFileName);
        using (var reader = SafeTensorsReader.Open(weightsPath))
        {
            Checkpoint.CopyWeights(Model, reader, weightsPath);
        }
        TrainerState state = TrainingCheckpoint.ReadState(directory);
        string statePath = Path.Combine(directory, TrainingCheckpoint.StateFileName);
        using SafeTensorsContent optimizer = TrainingCheckpoint.ReadOptimizer(directory);
        var byName = optimizer.Tensors.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        try
        {
            trainer.Restore(state, byName, batches, statePath);
        }
        catch (InvalidDataException e) when (e.Message.StartsWith("batch position", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{statePath}: {e.Message}", e);
        }
        Model.train();
    }

    /// <summary>The trainer's checkpoint callback: periodic checkpoints under OUT/checkpoints; the last step's state is kept for <see cref="SaveFinal"/>.</summary>
    public Action<TrainerState>? CheckpointCallback(GptTrainer trainer)
    {
        if (OutputDirectory is null)
        {
            return null;
        }
        return state =>
        {
            if (state.Step == state.TotalSteps)
            {
                _finalState = state;
                return;
            }
            TrainingCheckpoint.SavePeriodic(OutputDirectory, Model, ConfigFor(null), trainer, state);
        };
    }

    /// <summary>Writes the final, resumable checkpoint with its metrics to the output directory (if any).</summary>
    public void SaveFinal(GptTrainer trainer, IReadOnlyDictionary<string, double> metrics)
    {
        if (OutputDirectory is null)
        {
            return;
        }
        CheckpointConfig config = ConfigFor(metrics);
        if (_finalState is null)
        {
            Checkpoint.Save(OutputDirectory, Model, config);
            return;
        }
        TrainingCheckpoint.Save(OutputDirectory, Model, config, trainer, _finalState);
    }

    private CheckpointConfig ConfigFor(IReadOnlyDictionary<string, double>? metrics) =>
        new(CheckpointConfig.CurrentFormat, Model.Config, Tokenizer.ToSpec(), _spec.Training, metrics);

    private static void CheckShape(string path, GptConfig stored, GptConfig run)
    {
        foreach (var (field, a, b) in new[]
        {
            ("model.vocab_size", stored.VocabSize, run.VocabSize), ("model.block_size", stored.BlockSize, run.BlockSize),
            ("model.n_layer", stored.Layers, run.Layers), ("model.n_head", stored.Heads, run.Heads), ("model.n_embd", stored.Width, run.Width),
        })
        {
            if (a != b)
            {
                throw new InvalidDataException($"{path}: field '{field}': the checkpoint has {a}, this run has {b} (resume with the run's original settings)");
            }
        }
    }

    // OUT/checkpoints/step-N → OUT; any other directory is its own run directory.
    private static string RunDirectoryOf(string checkpoint)
    {
        string full = Path.GetFullPath(checkpoint).TrimEnd(Path.DirectorySeparatorChar);
        DirectoryInfo? parent = Directory.GetParent(full);
        return parent is not null && parent.Name == TrainingCheckpoint.PeriodicFolderName && parent.Parent is not null
            ? parent.Parent.FullName
            : full;
    }

    public void Dispose()
    {
        _ownModel?.Dispose();
        _init?.Dispose();
    }
}
