using Levain.Lm.Training;

namespace Levain.Lm.Runs;

/// <summary>
/// Everything one <c>levain train</c> run needs. <see cref="DataFile"/> null means the built-in code-comprehension
/// task (byte tokenizer, held-out items scored during and after training); otherwise a UTF-8 text file, tokenized
/// with <see cref="Tokenizer"/> ("bytes", "cl100k_base", "o200k_base" or a trained tokenizer's directory or file), 10% of it
/// held out for validation loss; or a data manifest from <c>levain data prepare</c> (a directory holding
/// <c>manifest.json</c>, or that file), streamed from its shards and mixed by <see cref="Mix"/>.
/// </summary>
public sealed record TrainRunSpec
{
    public int Width { get; init; } = 64;

    public int Depth { get; init; } = 2;

    public int Heads { get; init; } = 4;

    public int Context { get; init; } = 128;

    public TrainingOptions Training { get; init; } = new() { Steps = 200, BatchSize = 16, LearningRate = 3e-3, WarmupSteps = 20 };

    public string? DataFile { get; init; }

    public string Tokenizer { get; init; } = "bytes";

    /// <summary>With a data manifest: mix weights per source, e.g. "web=0.7,code=0.3" (null: proportional to training tokens).</summary>
    public string? Mix { get; init; }

    /// <summary>With a data manifest: validation windows of T + 1 tokens per source (a fixed sample; default 64).</summary>
    public int ValidationWindows { get; init; } = 64;

    /// <summary>Held-out code-comprehension items scored (code task only).</summary>
    public int EvalItems { get; init; } = 64;

    /// <summary>Difficulty preset of the code task's training stream and held-out items: starter, easy (default), medium, hard.</summary>
    public string Difficulty { get; init; } = "easy";

    /// <summary>
    /// Extra "# Value of v: x" lines after each training document's answer (code task only): more supervised answers
    /// per program, which is what makes the held-out questions learnable in a minute of CPU (0 = one answer per document).
    /// </summary>
    public int FollowUps { get; init; } = 3;

    /// <summary>Where the checkpoint goes; null writes none. Periodic checkpoints go to its <c>checkpoints/</c> folder.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Start from the weights (and tokenizer and shape) of this checkpoint directory, Levain or Hugging Face GPT-2; a fresh optimizer and schedule.</summary>
    public string? InitFrom { get; init; }

    /// <summary>Continue the run whose checkpoint (or output directory) this is: weights, optimizer, step, generators, data position.</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>cpu (default), cuda or cuda:N.</summary>
    public string Device { get; init; } = "cpu";
}
