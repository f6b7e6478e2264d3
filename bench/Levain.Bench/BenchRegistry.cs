namespace Levain.Bench;

/// <summary>Dispatches <c>./levain bench NAME [options]</c> to a benchmark program.</summary>
internal static class BenchRegistry
{
    // One entry per benchmark: name, one-line description, entry point (arguments after the name → exit code).
    private static readonly (string Name, string Description, Func<string[], int> Run)[] Benchmarks =
    [
        ("tuner", Tuner.TunerBench.Description, Tuner.TunerBench.Run),
        ("train", Train.TrainBench.Description, Train.TrainBench.Run),
        ("tokenizer", Tokenizer.TokenizerBench.Description, Tokenizer.TokenizerBench.Run),
    ];

    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine("Usage: ./levain bench NAME [options]   (NAME --help for a benchmark's options)");
            Console.WriteLine();
            foreach (var (name, description, _) in Benchmarks)
            {
                Console.WriteLine($"  {name,-10} {description}");
            }
            return args.Length == 0 ? 2 : 0;
        }
        foreach (var (name, _, run) in Benchmarks)
        {
            if (string.Equals(name, args[0], StringComparison.Ordinal))
            {
                return run(args[1..]);
            }
        }
        Console.Error.WriteLine($"levain bench: unknown benchmark '{args[0]}'. Known: {string.Join(", ", Benchmarks.Select(b => b.Name))}");
        return 2;
    }
}
