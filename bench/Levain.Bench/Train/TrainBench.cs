using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Levain.Bench.Train;

/// <summary>
/// <c>./levain bench train</c>: the same GPT trained by Levain (TorchSharp) and by PyTorch (Debian's python3-torch via
/// /usr/bin/python3), each in its own process with the same threads: tokens/s and their ratio, achieved GFLOP/s against
/// the machine's measured matmul peak (1024² and at the model's own GEMM shapes), RSS at steps 100 and 1,000, and which BLAS the peer used. Levain also runs once
/// more with jemalloc preloaded when libjemalloc.so.2 is installed.
/// </summary>
public static class TrainBench
{
    public const string Description = "GPT training throughput and memory: Levain (TorchSharp) vs PyTorch, same model and threads";

    private const string Usage = """
        Usage: ./levain bench train [--quick] [--steps N] [--threads N] [--json PATH] [--no-peer] [--python PATH]
          --quick      120 steps (RSS at step 100 only) instead of 1,000
          --steps N    training steps for both sides
          --threads N  torch threads for both sides (default 2)
          --json PATH  also write the results as JSON
          --no-peer    skip PyTorch
          --prefetch N batches prepared ahead by Levain (default 2; 0 = inline)
          --split 0|1  Levain cuts each batch into one slice per thread, trained side by side (default 1)
          --python P   interpreter for the peer (default /usr/bin/python3)
        Exit codes: 0 done, 1 a side failed, 2 bad arguments.
        """;

    private const string JemallocPath = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2";

    /// <summary>The jemalloc settings the <c>./levain</c> launcher exports with its preload (never purge freed pages).</summary>
    public const string LauncherMallocConf = "dirty_decay_ms:-1,muzzy_decay_ms:-1";

    public static int Run(string[] args)
    {
        if (args.Length >= 1 && args[0] == "--worker")
        {
            return TrainWorker.Run(ParseShape(args[1..], TrainBenchShape.Full, out _) ?? TrainBenchShape.Full);
        }
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(Usage);
            return 0;
        }
        var shape = ParseShape(args, args.Contains("--quick") ? TrainBenchShape.Quick : TrainBenchShape.Full, out string? error);
        if (shape is null)
        {
            Console.Error.WriteLine($"levain bench train: {error}\n{Usage}");
            return 2;
        }
        string? jsonPath = Value(args, "--json");
        string python = Value(args, "--python") ?? "/usr/bin/python3";
        bool runPeer = !args.Contains("--no-peer");

        Console.WriteLine($"GPT {shape.Depth}x{shape.Width}, {shape.Heads} heads, context {shape.Context}, batch {shape.Batch}, {shape.Steps} steps, {shape.Threads} threads");
        double peak = TrainWorker.MeasureMatmulGflops(shape.Threads);
        Console.WriteLine($"measured fp32 matmul peak (1024², {shape.Threads} threads): {peak:F1} GFLOP/s");
        double shapePeak = TrainWorker.MeasureShapeGemmGflops(shape);
        Console.WriteLine($"measured fp32 GEMM peak at this model's shapes (its linear layers, forward + backward, {shape.Batch * shape.Context} rows): {shapePeak:F1} GFLOP/s");

        var sides = new List<(string Name, JsonObject? Result, string? Failure)>();
        string self = typeof(TrainBench).Assembly.Location;
        string[] workerArgs = [self, "train", "--worker", .. shape.ToArguments()];
        sides.Add(Launch("levain (glibc malloc)", Environment.ProcessPath!, workerArgs, null));
        if (File.Exists(JemallocPath))
        {
            // What ./levain runs: jemalloc preloaded by the launcher with its MALLOC_CONF, batches prefetched; the same
            // without prefetching; and jemalloc with its default page purging (what the launcher ran before).
            sides.Add(Launch("levain (jemalloc)", Environment.ProcessPath!, workerArgs, JemallocPath, LauncherMallocConf));
            string[] inlineArgs = [self, "train", "--worker", .. (shape with { Prefetch = 0 }).ToArguments()];
            sides.Add(Launch("levain (jemalloc, inline)", Environment.ProcessPath!, inlineArgs, JemallocPath, LauncherMallocConf));
            if (shape.Threads > 1 && shape.SplitBatch)
            {
                // Before the batch split: one batch, every operation split over the threads by libtorch's OpenMP.
                string[] wholeArgs = [self, "train", "--worker", .. (shape with { SplitBatch = false }).ToArguments()];
                sides.Add(Launch("levain (jemalloc, unsplit)", Environment.ProcessPath!, wholeArgs, JemallocPath, LauncherMallocConf));
            }
            sides.Add(Launch("levain (jemalloc, purging)", Environment.ProcessPath!, workerArgs, JemallocPath));
        }
        if (runPeer)
        {
            string script = Path.Combine(FindRepoRoot(), "bench", "peers", "torch_train.py");
            sides.Add(File.Exists(python)
                ? Launch("pytorch (python3-torch)", python, [script, .. shape.ToPeerArguments()], null)
                : ("pytorch (python3-torch)", null, $"{python} not found"));
        }

        double flopsPerToken = sides.Select(s => s.Result?["flops_per_token"]?.GetValue<double>()).FirstOrDefault(f => f is not null) ?? 0;
        Console.WriteLine();
        Console.WriteLine($"{"side",-26} {"tokens/s",10} {"GFLOP/s",9} {"of peak",8} {"of shape",8} {"RSS@100",9} {"RSS@1000",9}  notes");
        foreach (var (name, result, failure) in sides)
        {
            if (result is null)
            {
                Console.WriteLine($"{name,-26} failed: {failure}");
                continue;
            }
            double tps = result["tokens_per_s"]!.GetValue<double>();
            double gflops = tps * flopsPerToken / 1e9;
            result["gflops"] = gflops;
            Console.WriteLine($"{name,-26} {tps,10:F0} {gflops,9:F1} {gflops / peak,8:P0} {gflops / shapePeak,8:P0} {Rss(result, "100"),9} {Rss(result, "1000"),9}  {result["blas"]?.GetValue<string>()}");
        }
        double? levain = sides[0].Result?["tokens_per_s"]?.GetValue<double>();
        double? torch = sides.FirstOrDefault(s => s.Name.StartsWith("pytorch", StringComparison.Ordinal)).Result?["tokens_per_s"]?.GetValue<double>();
        double? ratio = levain is double l && torch is double t && t > 0 ? l / t : null;
        if (ratio is double r)
        {
            Console.WriteLine($"\nLevain / PyTorch tokens/s: {r:F2}x (glibc malloc)");
        }
        double? launcher = sides.FirstOrDefault(s => s.Name == "levain (jemalloc)").Result?["tokens_per_s"]?.GetValue<double>();
        double? launcherRatio = launcher is double j && torch is double pt && pt > 0 ? j / pt : null;
        if (launcherRatio is double lr)
        {
            Console.WriteLine($"Levain / PyTorch tokens/s: {lr:F2}x (jemalloc, as ./levain runs); {launcher!.Value * flopsPerToken / 1e9 / peak:P0} of the 1024² fp32 GEMM peak, " +
                $"{launcher!.Value * flopsPerToken / 1e9 / shapePeak:P0} of the GEMM peak at the benchmark's shapes");
        }
        if (jsonPath is not null)
        {
            var json = new JsonObject
            {
                ["shape"] = JsonSerializer.SerializeToNode(shape),
                ["matmul_peak_gflops"] = peak,
                ["shape_gemm_peak_gflops"] = shapePeak,
                ["flops_per_token"] = flopsPerToken,
                ["ratio_levain_over_pytorch"] = ratio,
                ["ratio_levain_jemalloc_over_pytorch"] = launcherRatio,
                ["sides"] = new JsonArray([.. sides.Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["result"] = s.Result?.DeepClone(), ["failure"] = s.Failure })]),
            };
            File.WriteAllText(jsonPath, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        return sides.All(s => s.Result is not null) ? 0 : 1;
    }

    private static (string Name, JsonObject? Result, string? Failure) Launch(string name, string program, string[] arguments, string? preload, string? mallocConf = null)
    {
        Console.WriteLine($"running {name} ...");
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        if (preload is not null)
        {
            start.Environment["LD_PRELOAD"] = preload;
        }
        start.Environment.Remove("MALLOC_CONF");
        if (mallocConf is not null)
        {
            start.Environment["MALLOC_CONF"] = mallocConf;
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string? line = stdout.Split('\n').LastOrDefault(l => l.TrimStart().StartsWith('{'));
        if (process.ExitCode != 0 || line is null)
        {
            return (name, null, $"exit {process.ExitCode}: {stderr.Result.Split('\n').LastOrDefault(l => l.Length > 0)}");
        }
        return (name, JsonNode.Parse(line)!.AsObject(), null);
    }

    private static string Rss(JsonObject result, string step) =>
        result["rss_mb"]?[step] is JsonNode n ? $"{n.GetValue<double>():F0} MB" : "-";

    private static TrainBenchShape? ParseShape(string[] args, TrainBenchShape shape, out string? error)
    {
        error = null;
        foreach (var (flag, apply) in new (string, Func<TrainBenchShape, int, TrainBenchShape>)[]
        {
            ("--steps", (s, v) => s with { Steps = v }), ("--threads", (s, v) => s with { Threads = v }),
            ("--width", (s, v) => s with { Width = v }), ("--depth", (s, v) => s with { Depth = v }),
            ("--heads", (s, v) => s with { Heads = v }), ("--context", (s, v) => s with { Context = v }),
            ("--batch", (s, v) => s with { Batch = v }), ("--prefetch", (s, v) => s with { Prefetch = v }),
            ("--split", (s, v) => s with { SplitBatch = v != 0 }),
        })
        {
            if (Value(args, flag) is not { } text)
            {
                continue;
            }
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < (flag is "--prefetch" or "--split" ? 0 : 1))
            {
                error = $"{flag}: expected a positive integer, got '{text}'";
                return null;
            }
            shape = apply(shape, value);
        }
        return shape;
    }

    private static string? Value(string[] args, string flag)
    {
        int at = Array.IndexOf(args, flag);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Levain.slnx")))
            {
                return dir.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }
}
