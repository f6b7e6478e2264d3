using System.Diagnostics;
using System.Text.Json.Nodes;
using Levain.Lm.Model;
using Levain.Lm.Training;
using static TorchSharp.torch;

namespace Levain.Bench.Train;

/// <summary>
/// The Levain side, run in its own process (so RSS is its own and LD_PRELOAD=jemalloc can apply): trains the GPT on
/// random byte tokens exactly as <c>bench/peers/torch_train.py</c> does and prints one JSON line.
/// </summary>
internal static class TrainWorker
{
    public static int Run(TrainBenchShape shape)
    {
        set_num_threads(shape.Threads);
        var config = new GptConfig(257, shape.Context, shape.Depth, shape.Heads, shape.Width);
        using var init = new Generator(1);
        using var data = new Generator(2);
        using var model = new Gpt(config, init);
        int[] tokens;
        using (Tensor random = randint(0, 257, [1_000_000], dtype: ScalarType.Int32, generator: data))
        {
            tokens = random.data<int>().ToArray();
        }
        var batches = new RandomWindowBatches(tokens, shape.Batch, shape.Context, data);
        var options = new TrainingOptions
        {
            Steps = shape.Steps, BatchSize = shape.Batch, LearningRate = 1e-3, WarmupSteps = 20, Threads = shape.Threads, ProgressEvery = 100,
            Prefetch = shape.Prefetch, SplitBatch = shape.SplitBatch,
        };
        var rss = new JsonObject();
        // Processor time from the first progress line on (after warm-up): what a step costs in CPU, which a busy
        // machine disturbs far less than wall time.
        TimeSpan? cpuFrom = null;
        int cpuFromStep = 0;
        var progress = new InlineProgress(p =>
        {
            if (cpuFrom is null)
            {
                using var process = Process.GetCurrentProcess();
                cpuFrom = process.TotalProcessorTime;
                cpuFromStep = p.Step;
            }
            if (shape.RssSteps.Contains(p.Step))
            {
                using var self = Process.GetCurrentProcess();
                rss[$"{p.Step}"] = Math.Round(self.WorkingSet64 / 1048576.0, 1);
            }
        });
        TrainingSummary summary;
        using (var trainer = new GptTrainer(model, options))
        {
            summary = trainer.Train(batches, progress);
        }
        using var process = Process.GetCurrentProcess();
        double cpuMsPerStep = (process.TotalProcessorTime - (cpuFrom ?? TimeSpan.Zero)).TotalMilliseconds / Math.Max(1, summary.Steps - cpuFromStep);
        var result = new JsonObject
        {
            ["cpu_ms_per_step"] = Math.Round(cpuMsPerStep, 2),
            ["tokens_per_s"] = summary.TokensPerSecond,
            ["seconds"] = summary.Seconds,
            ["steps"] = summary.Steps,
            ["rss_mb"] = rss,
            ["final_loss"] = summary.FinalLoss,
            ["peak_rss_mb"] = Math.Round(process.PeakWorkingSet64 / 1048576.0, 1),
            ["flops_per_token"] = config.TrainingFlopsPerToken(shape.Context),
            ["params"] = config.ParameterCount,
        };
        Console.WriteLine(result.ToJsonString());
        return 0;
    }

    /// <summary>The machine's fp32 matmul rate: the best of several 1024×1024 products at the given thread count.</summary>
    public static double MeasureMatmulGflops(int threads)
    {
        set_num_threads(threads);
        const int n = 1024;
        using var generator = new Generator(3);
        using Tensor a = randn([n, n], generator: generator);
        using Tensor b = randn([n, n], generator: generator);
        double best = double.PositiveInfinity;
        for (int i = 0; i < 12; i++)
        {
            long start = Stopwatch.GetTimestamp();
            using Tensor c = a.matmul(b);
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return 2.0 * n * n * n / best / 1e9;
    }

    /// <summary>
    /// The best fp32 GEMM rate at the shapes this model trains with: every linear layer's forward product and its two
    /// backward products (input gradient, weight gradient) at M = batch × context rows, plus the tied output head,
    /// each timed as the best of several runs; total FLOPs ÷ total time. What a step could reach if it were only GEMMs.
    /// </summary>
    public static double MeasureShapeGemmGflops(TrainBenchShape shape)
    {
        set_num_threads(shape.Threads);
        long m = (long)shape.Batch * shape.Context;
        long c = shape.Width;
        // (in, out, count per model): qkv, attention projection, MLP up, MLP down per layer; the head once.
        (long In, long Out, int Count)[] layers = [(c, 3 * c, shape.Depth), (c, c, shape.Depth), (c, 4 * c, shape.Depth), (4 * c, c, shape.Depth), (c, 257, 1)];
        using var generator = new Generator(5);
        double flops = 0, seconds = 0;
        foreach (var (k, n, count) in layers)
        {
            using Tensor x = randn([m, k], generator: generator);
            using Tensor w = randn([n, k], generator: generator);
            using Tensor dy = randn([m, n], generator: generator);
            double Best(Func<Tensor> product)
            {
                double best = double.PositiveInfinity;
                for (int i = 0; i < 8; i++)
                {
                    long start = Stopwatch.GetTimestamp();
                    using Tensor r = product();
                    best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
                }
                return best;
            }
            double time = Best(() => x.matmul(w.t())) + Best(() => dy.matmul(w)) + Best(() => dy.t().matmul(x));
            flops += count * 3 * 2.0 * m * n * k;
            seconds += count * time;
        }
        return flops / seconds / 1e9;
    }

    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
