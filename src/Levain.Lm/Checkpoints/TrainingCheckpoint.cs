using System.Globalization;
using System.Text.Json;
using Levain.Lm.Model;
using Levain.Lm.Training;

namespace Levain.Lm.Checkpoints;

/// <summary>
/// Resumable checkpoints: a Levain checkpoint directory (<c>model.safetensors</c>, <c>config.json</c>) plus
/// <c>optimizer.safetensors</c> (AdamW moments and step counts) and <c>trainer_state.json</c> (<see cref="TrainerState"/>:
/// step, loss trace, dropout generator, data position). Periodic checkpoints of a run with output directory OUT go to
/// <c>OUT/checkpoints/step-NNNNNNNN/</c>: each is written in full into a temporary sibling folder and renamed into
/// place, so a reader (or a run killed at any moment) sees whole checkpoints only; the newest <see cref="Kept"/> stay.
/// </summary>
public static class TrainingCheckpoint
{
    public const string OptimizerFileName = "optimizer.safetensors";
    public const string StateFileName = "trainer_state.json";
    public const string PeriodicFolderName = "checkpoints";
    public const int Kept = 2;

    private const string StepPrefix = "step-";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes a full resumable checkpoint into <paramref name="directory"/>; <c>trainer_state.json</c> is written last.</summary>
    public static void Save(string directory, Gpt model, CheckpointConfig config, GptTrainer trainer, TrainerState state)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(state);
        Checkpoint.Save(directory, model, config);
        IReadOnlyList<KeyValuePair<string, TorchSharp.torch.Tensor>> optimizer = trainer.OptimizerTensors();
        try
        {
            SafeTensorsFile.Write(Path.Combine(directory, OptimizerFileName), optimizer, new Dictionary<string, string> { ["format"] = "pt", ["levain"] = "adamw/1" });
        }
        finally
        {
            foreach (var (name, tensor) in optimizer)
            {
                if (name.EndsWith(".step", StringComparison.Ordinal))
                {
                    tensor.Dispose(); // made for the file; the moments are the optimizer's own
                }
            }
        }
        AtomicFile.WriteText(Path.Combine(directory, StateFileName), JsonSerializer.Serialize(state, Indented));
    }

    /// <summary>Writes <c>OUT/checkpoints/step-N</c> atomically (temporary folder, then rename) and prunes older periodic checkpoints.</summary>
    public static string SavePeriodic(string outputDirectory, Gpt model, CheckpointConfig config, GptTrainer trainer, TrainerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        string folder = Path.Combine(outputDirectory, PeriodicFolderName);
        Directory.CreateDirectory(folder);
        string name = StepPrefix + state.Step.ToString("D8", CultureInfo.InvariantCulture);
        string target = Path.Combine(folder, name);
        string temporary = Path.Combine(folder, $".{name}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Save(temporary, model, config, trainer, state);
        // An earlier attempt of this run reached this step before it was stopped: its files go, and the folder with them
        // only if nothing else is in it.
        if (Directory.Exists(target) && !RemoveWritten(target))
        {
            RemoveWritten(temporary);
            throw new IOException($"{target}: holds files a checkpoint does not write; move them away and resume again");
        }
        Directory.Move(temporary, target);
        foreach (string old in Periodic(outputDirectory).SkipLast(Kept))
        {
            RemoveWritten(old);
        }
        return target;
    }

    /// <summary>The files <see cref="Save"/> writes into a checkpoint folder, and nothing else.</summary>
    public static IReadOnlyList<string> WrittenFileNames { get; } = [StateFileName, OptimizerFileName, Checkpoint.WeightsFileName, Checkpoint.ConfigFileName];

    /// <summary>
    /// Removes what <see cref="Save"/> wrote into <paramref name="directory"/> (its four files, state file first), then the
    /// folder itself only when that left it empty. Returns false, keeping the folder and whatever else is in it, when
    /// something else is there. Never deletes a file it did not write or a folder that is not empty.
    /// </summary>
    public static bool RemoveWritten(string directory)
    {
        if (!Directory.Exists(directory)) return true;
        foreach (string name in WrittenFileNames) File.Delete(Path.Combine(directory, name));
        if (Directory.EnumerateFileSystemEntries(directory).Any()) return false;
        Directory.Delete(directory);
        return true;
    }

    /// <summary>The periodic checkpoints under <c>OUT/checkpoints</c>, oldest first (complete ones only).</summary>
    public static IReadOnlyList<string> Periodic(string outputDirectory)
    {
        string folder = Path.Combine(outputDirectory, PeriodicFolderName);
        if (!Directory.Exists(folder))
        {
            return [];
        }
        return Directory.GetDirectories(folder, StepPrefix + "*")
            .Where(d => File.Exists(Path.Combine(d, StateFileName)) && int.TryParse(Path.GetFileName(d)[StepPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .OrderBy(d => int.Parse(Path.GetFileName(d)[StepPrefix.Length..], CultureInfo.InvariantCulture))
            .ToList();
    }

    /// <summary>
    /// The checkpoint to resume from given a directory: the directory itself when it holds <c>trainer_state.json</c>, or
    /// the one with the most steps among it and its <c>checkpoints/step-N</c> folders. Throws naming the directory.
    /// </summary>
    public static string Locate(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new FileNotFoundException($"{directory}: checkpoint directory not found", directory);
        }
        var candidates = Periodic(directory).ToList();
        if (File.Exists(Path.Combine(directory, StateFileName)))
        {
            candidates.Add(directory);
        }
        if (candidates.Count == 0)
        {
            throw new FileNotFoundException($"{Path.Combine(directory, StateFileName)}: not found, nor any {PeriodicFolderName}/{StepPrefix}N/{StateFileName} (is '{directory}' the output of a levain train run?)", directory);
        }
        return candidates.MaxBy(c => ReadState(c).Step)!;
    }

    /// <summary>Reads <c>trainer_state.json</c>; throws <see cref="InvalidDataException"/> naming the file and field.</summary>
    public static TrainerState ReadState(string checkpointDirectory)
    {
        string path = Path.Combine(checkpointDirectory, StateFileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: not found (not a resumable checkpoint)", path);
        }
        TrainerState? state;
        try
        {
            state = JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: line {(e.LineNumber ?? 0) + 1}: field '{e.Path?.TrimStart('$', '.')}': not a valid trainer state", e);
        }
        if (state is null || state.Format != TrainerState.CurrentFormat)
        {
            throw new InvalidDataException($"{path}: field 'format': '{state?.Format}' is not '{TrainerState.CurrentFormat}'");
        }
        if (state.Step < 0 || state.LossTrace is null || state.DropoutGeneratorState is null)
        {
            throw new InvalidDataException($"{path}: field '{(state.Step < 0 ? "step" : state.LossTrace is null ? "loss_trace" : "dropout_rng")}' is missing or invalid");
        }
        return state;
    }

    /// <summary>The AdamW tensors of a checkpoint (the caller disposes them).</summary>
    public static SafeTensorsContent ReadOptimizer(string checkpointDirectory) =>
        SafeTensorsFile.Read(Path.Combine(checkpointDirectory, OptimizerFileName));
}
