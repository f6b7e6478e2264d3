namespace Levain.Bench.Train;

/// <summary>The model and run both sides train: same shape, batch, steps, threads and learning-rate schedule.</summary>
internal sealed record TrainBenchShape(int Width, int Depth, int Heads, int Context, int Batch, int Steps, int Threads)
{
    /// <summary>Batches prepared ahead on a background thread by Levain's trainer (0 = inline, as before issue 12).</summary>
    public int Prefetch { get; init; } = 2;

    /// <summary>Levain's trainer cuts each batch into one slice per thread (TrainingOptions.SplitBatch).</summary>
    public bool SplitBatch { get; init; } = true;

    public static TrainBenchShape Full { get; } = new(128, 4, 4, 128, 16, 1000, 2);

    public static TrainBenchShape Quick { get; } = new(128, 4, 4, 128, 16, 120, 2);

    public int[] RssSteps => [.. new[] { 100, 1000 }.Where(s => s <= Steps)];

    /// <summary>The shape both sides train (the PyTorch peer takes exactly these).</summary>
    public string[] ToPeerArguments() =>
    [
        "--width", $"{Width}", "--depth", $"{Depth}", "--heads", $"{Heads}", "--context", $"{Context}",
        "--batch", $"{Batch}", "--steps", $"{Steps}", "--threads", $"{Threads}", "--rss-steps", string.Join(",", RssSteps),
    ];

    /// <summary>The shape plus Levain's own knobs, for Levain's worker process.</summary>
    public string[] ToArguments() => [.. ToPeerArguments(), "--prefetch", $"{Prefetch}", "--split", SplitBatch ? "1" : "0"];
}
