using System.Diagnostics;
using Levain.Lm.Runs;
using Levain.Lm.Training;
using Levain.Synthetic;
using Levain.Synthetic.Instructions;

namespace Levain.Lm.FineTuning.Demo;

/// <summary>
/// Instruction tuning with no downloads: (1) pretrain a small byte-level GPT on the built-in code task (programs and
/// "# Output:" answers, as <c>levain train</c> does); (2) generate instruction examples about other programs — what
/// a program prints, the value of a variable after line k, which variable is never read, the program rewritten to print
/// twice the value — answered by the interpreter; (3) fine-tune with the dolly-eot template (the end of a response is one token), holding out 10% of the
/// programs; (4) answer the held-out instructions by greedy generation before and after fine-tuning.
/// </summary>
public static class InstructionDemo
{
    /// <summary>Instruction programs come from this part of the training seed range, far past any pretraining stream.</summary>
    public const int FirstInstructionSeed = 900_000_000;

    public static InstructionDemoResult Run(InstructionDemoOptions options, IProgress<string>? stage = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        long started = Stopwatch.GetTimestamp();
        Directory.CreateDirectory(options.Directory);
        string baseDirectory = Path.Combine(options.Directory, "base");
        string dataFile = Path.Combine(options.Directory, "instructions.jsonl");
        string fineTuned = Path.Combine(options.Directory, "sft");

        stage?.Report($"pretraining a {options.Width}-wide, {options.Depth}-layer byte-level GPT on generated code for {options.PretrainSteps} steps");
        var pretraining = TrainingRun.Run(new TrainRunSpec
        {
            Width = options.Width,
            Depth = options.Depth,
            Heads = options.Heads,
            Context = options.Context,
            Difficulty = "starter",
            EvalItems = 0,
            OutputDirectory = baseDirectory,
            Training = new TrainingOptions
            {
                Steps = options.PretrainSteps, BatchSize = 16, LearningRate = options.PretrainLearningRate, WarmupSteps = Math.Min(20, options.PretrainSteps / 2),
                Seed = options.Seed, Threads = options.Threads, ProgressEvery = 50,
            },
        }, progress, cancellationToken);

        stage?.Report($"generating {options.Examples} instruction examples ({string.Join(", ", Enum.GetValues<InstructionKind>().Select(InstructionPhrasings.Category))})");
        int firstSeed = SeedRanges.Training.Start + FirstInstructionSeed;
        using (var writer = new StreamWriter(dataFile))
        {
            InstructionJsonl.Write(writer, InstructionGenerator.Generate(new InstructionOptions { Kinds = options.Kinds }, firstSeed, options.Examples));
        }

        stage?.Report("fine-tuning on the instructions (loss on responses only); answering held-out instructions before and after");
        var fineTuning = FineTuneRun.Run(new FineTuneSpec
        {
            InitFrom = baseDirectory,
            DataFile = dataFile,
            OutputDirectory = fineTuned,
            Template = Templates.PromptTemplate.DollyEot.Name,
            Epochs = options.Epochs,
            GenerateCount = options.GenerateCount,
            EvaluateBefore = true,
            Training = FineTuneSpec.DefaultTraining with
            {
                LearningRate = options.FineTuneLearningRate, Seed = options.Seed, Threads = options.Threads, ProgressEvery = 50,
            },
        }, progress, cancellationToken);
        return new InstructionDemoResult(pretraining, fineTuning, dataFile, baseDirectory, fineTuned, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
