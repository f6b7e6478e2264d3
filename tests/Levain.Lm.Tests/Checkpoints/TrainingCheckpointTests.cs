using System.Text.Json.Nodes;
using Levain.Lm.Checkpoints;
using Levain.Lm.Runs;
using Levain.Lm.Training;
using static TorchSharp.torch;

namespace Levain.Lm.Tests.Checkpoints;

public sealed class TrainingCheckpointTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"levain-resume-{Guid.NewGuid():N}");

    private static readonly string Text = string.Concat(Enumerable.Range(0, 60).Select(i => $"line {i}: the quick brown fox {i % 7} jumps over {i % 5} lazy dogs.\n"));

    private TrainRunSpec Spec(string name, bool codeTask, bool split = false) => new()
    {
        Width = 32, Depth = 2, Heads = 2, Context = 32, EvalItems = 0, Difficulty = "starter",
        DataFile = codeTask ? null : DataFile(),
        OutputDirectory = Path.Combine(_root, name),
        Training = new TrainingOptions
        {
            Steps = 12, BatchSize = 4, LearningRate = 3e-3, WarmupSteps = 2, Seed = 7, Threads = split ? 2 : 1, ProgressEvery = 1,
            Dropout = split ? 0 : 0.1, GradientAccumulation = 2, CheckpointEvery = 4, // dropout would turn the batch split off

        },
    };

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Resume_RunStoppedAfterStep6_EndsWithSameWeightsAsUninterruptedRun(bool codeTask, bool split)
    {
        // Dropout (or the batch split over two threads) and accumulation are on, and batches are prefetched, so the
        // generators, the data position and the order in which the slices' gradients are summed all matter.
        TrainRunResult whole = TrainingRun.Run(Spec("whole", codeTask, split), cancellationToken: TestContext.Current.CancellationToken);

        TrainRunSpec stopped = Spec("stopped", codeTask, split);
        using (var cancel = new CancellationTokenSource())
        {
            var progress = new InlineProgress(p =>
            {
                if (p.Step == 6)
                {
                    cancel.Cancel(); // stops before step 7; the last checkpoint is step 4
                }
            });
            Assert.ThrowsAny<OperationCanceledException>(() => TrainingRun.Run(stopped, progress, cancel.Token));
        }
        Assert.Equal(["step-00000004"], TrainingCheckpoint.Periodic(stopped.OutputDirectory!).Select(Path.GetFileName));
        Assert.False(File.Exists(Path.Combine(stopped.OutputDirectory!, Checkpoint.WeightsFileName)));

        var firstResumedStep = 0;
        TrainRunResult resumed = TrainingRun.Run(stopped with { ResumeFrom = stopped.OutputDirectory }, new InlineProgress(p =>
        {
            if (firstResumedStep == 0)
            {
                firstResumedStep = p.Step;
            }
        }), TestContext.Current.CancellationToken);

        Assert.Equal(5, firstResumedStep);
        AssertSameWeights(Path.Combine(_root, "whole"), stopped.OutputDirectory!);
        Assert.Equal(whole.FinalLoss, resumed.FinalLoss);
        Assert.Equal(whole.Tokens, resumed.Tokens);
        // Periodic checkpoints at 4 and 8 remain (the newest two); no temporary folders are left behind.
        Assert.Equal(["step-00000004", "step-00000008"], TrainingCheckpoint.Periodic(stopped.OutputDirectory!).Select(Path.GetFileName));
        Assert.Empty(Directory.GetDirectories(Path.Combine(stopped.OutputDirectory!, "checkpoints"), ".*"));
    }

    [Fact]
    public void RemoveWritten_DeletesOnlyTheCheckpointFilesAndTheFolderOnlyWhenEmpty()
    {
        string ours = Path.Combine(_root, "step-00000002");
        string shared = Path.Combine(_root, "step-00000004");
        foreach (var dir in new[] { ours, shared })
        {
            Directory.CreateDirectory(dir);
            foreach (var name in TrainingCheckpoint.WrittenFileNames) File.WriteAllText(Path.Combine(dir, name), "x");
        }
        File.WriteAllText(Path.Combine(shared, "notes.txt"), "mine");
        Directory.CreateDirectory(Path.Combine(shared, "eval"));

        Assert.True(TrainingCheckpoint.RemoveWritten(ours));
        Assert.False(Directory.Exists(ours));
        Assert.False(TrainingCheckpoint.RemoveWritten(shared));
        Assert.Equal(["eval", "notes.txt"], Directory.EnumerateFileSystemEntries(shared).Select(Path.GetFileName).Order());
        Assert.Equal("mine", File.ReadAllText(Path.Combine(shared, "notes.txt")));
    }

    [Fact]
    public void InitFrom_TrainedCheckpoint_StartsFromItsWeights()
    {
        TrainRunSpec source = Spec("source", codeTask: false) with { Training = Spec("x", false).Training with { Steps = 40, Dropout = 0, GradientAccumulation = 1 } };
        TrainRunResult trained = TrainingRun.Run(source, cancellationToken: TestContext.Current.CancellationToken);
        double firstLoss = double.NaN;
        TrainRunSpec fine = Spec("fine", codeTask: false) with
        {
            InitFrom = source.OutputDirectory, Width = 64, Depth = 1, // ignored: the checkpoint fixes the shape
            Training = source.Training with { Steps = 2, CheckpointEvery = 0, LearningRate = 1e-4 },
        };
        TrainRunResult result = TrainingRun.Run(fine, new InlineProgress(p => firstLoss = double.IsNaN(firstLoss) ? p.Loss : firstLoss), TestContext.Current.CancellationToken);
        Assert.Equal(32, result.Width);
        Assert.True(firstLoss < 5.0 && Math.Abs(firstLoss - trained.FinalLoss) < 0.6, $"first loss {firstLoss} vs source's final {trained.FinalLoss} (fresh ≈ 5.55)");
        var state = TrainingCheckpoint.ReadState(fine.OutputDirectory!);
        Assert.Equal(2, state.Step); // a new run: its own step count, not the source's 40
    }

    [Fact]
    public void Resume_DifferentWidth_ErrorNamesConfigAndField()
    {
        TrainRunSpec first = Spec("first", codeTask: false) with { Training = Spec("x", false).Training with { Steps = 4 } };
        TrainingRun.Run(first, cancellationToken: TestContext.Current.CancellationToken);
        var error = Assert.Throws<InvalidDataException>(() => TrainingRun.Run(first with { Width = 64, ResumeFrom = first.OutputDirectory, OutputDirectory = Path.Combine(_root, "other") }, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains(Path.Combine(first.OutputDirectory!, "config.json"), error.Message, StringComparison.Ordinal);
        Assert.Contains("'model.n_embd'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_DirectoryWithoutCheckpoint_ErrorNamesTrainerState()
    {
        string empty = Path.Combine(_root, "empty");
        Directory.CreateDirectory(empty);
        var error = Assert.Throws<FileNotFoundException>(() => TrainingRun.Run(Spec("x", false) with { ResumeFrom = empty }, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains(Path.Combine(empty, "trainer_state.json"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_CorruptTrainerState_ErrorNamesFileAndLine()
    {
        TrainRunSpec first = Spec("first", codeTask: false) with { Training = Spec("x", false).Training with { Steps = 4 } };
        TrainingRun.Run(first, cancellationToken: TestContext.Current.CancellationToken);
        string statePath = Path.Combine(first.OutputDirectory!, TrainingCheckpoint.StateFileName);
        File.WriteAllText(statePath, "{\"format\": \"levain-trainer/1\",\n \"step\": \"four\"}");
        var error = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.ReadState(first.OutputDirectory!));
        Assert.Contains(statePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FreshRun_OutputWithEarlierCheckpoints_RefusesInsteadOfMixingRuns()
    {
        TrainRunSpec spec = Spec("twice", codeTask: false);
        TrainingRun.Run(spec, cancellationToken: TestContext.Current.CancellationToken);
        var error = Assert.Throws<InvalidDataException>(() => TrainingRun.Run(spec, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("--resume", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PackedDocumentBatches_RestoredState_ContinuesWithTheSameBatches()
    {
        var documents = Enumerable.Range(0, 1000).Select(i => (IReadOnlyList<int>)Enumerable.Range(i % 50, 3 + i % 11).ToList());
        var first = new PackedDocumentBatches(documents, 255, 3, 16);
        for (int i = 0; i < 5; i++)
        {
            using var scope = NewDisposeScope();
            first.Next();
        }
        string state = first.SaveState();
        var second = new PackedDocumentBatches(documents, 255, 3, 16);
        second.RestoreState(state);
        using var s = NewDisposeScope();
        var (a, _) = first.Next();
        var (b, _) = second.Next();
        Assert.True(a.equal(b).all().item<bool>());
        Assert.Equal(first.DocumentsRead, second.DocumentsRead);
        Assert.Throws<InvalidDataException>(() => second.RestoreState("""{"kind":"random-windows"}"""));
    }

    [Fact]
    public void RandomWindowBatches_RestoredState_ContinuesWithTheSameBatches()
    {
        int[] tokens = [.. Enumerable.Range(0, 500).Select(i => i % 251)];
        using var g1 = new Generator(3);
        using var g2 = new Generator(99);
        var first = new RandomWindowBatches(tokens, 4, 8, g1);
        using var scope = NewDisposeScope();
        first.Next();
        string state = first.SaveState();
        var second = new RandomWindowBatches(tokens, 4, 8, g2);
        second.RestoreState(state);
        Assert.True(first.Next().Inputs.equal(second.Next().Inputs).all().item<bool>());
        var shorter = new RandomWindowBatches(tokens[..400], 4, 8, g2);
        var error = Assert.Throws<InvalidDataException>(() => shorter.RestoreState(state));
        Assert.Contains("'tokens'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PrefetchingBatches_SaveState_IsThePositionAfterTheLastBatchTaken()
    {
        int[] tokens = [.. Enumerable.Range(0, 500).Select(i => i % 251)];
        using var g1 = new Generator(5);
        using var g2 = new Generator(5);
        var plain = new RandomWindowBatches(tokens, 2, 8, g1);
        using var prefetching = new PrefetchingBatches(new RandomWindowBatches(tokens, 2, 8, g2), depth: 3);
        using var scope = NewDisposeScope();
        for (int i = 0; i < 4; i++)
        {
            Assert.True(plain.Next().Inputs.equal(prefetching.Next().Inputs).all().item<bool>());
            Assert.Equal(plain.SaveState(), prefetching.SaveState()); // not the state of the batches queued ahead
        }
    }

    private static void AssertSameWeights(string a, string b)
    {
        using var left = SafeTensorsFile.Read(Path.Combine(a, Checkpoint.WeightsFileName));
        using var right = SafeTensorsFile.Read(Path.Combine(b, Checkpoint.WeightsFileName));
        var rightByName = right.Tensors.ToDictionary(t => t.Key, t => t.Value);
        foreach (var (name, tensor) in left.Tensors)
        {
            double difference = (tensor - rightByName[name]).abs().max().item<float>();
            Assert.True(difference == 0, $"{name}: max |uninterrupted - resumed| = {difference}");
        }
    }

    private string DataFile()
    {
        string path = Path.Combine(_root, "data.txt");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(_root);
            File.WriteAllText(path, Text);
        }
        return path;
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
