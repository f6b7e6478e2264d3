namespace Levain.Bench.Tuner;

/// <summary>What one run of the tuner benchmark does. <see cref="Quick"/> and <see cref="Full"/> are the two modes.</summary>
public sealed record TunerBenchSettings
{
    public required string Mode { get; init; }

    public required int SeedCount { get; init; }

    /// <summary>Fraction of each problem's total budget a run spends (1 in the full run).</summary>
    public required double BudgetScale { get; init; }

    public IReadOnlyList<double> BudgetFractions { get; init; } = [0.25, 0.5, 1.0];

    /// <summary>Safety cap on evaluations per run; a run that hits it is flagged.</summary>
    public int MaxEvaluations { get; init; } = 2000;

    public required IReadOnlyList<int> LatencyObservationCounts { get; init; }

    public required int LatencyWarmCalls { get; init; }

    /// <summary>Problem names to run (null: all).</summary>
    public IReadOnlyList<string>? Problems { get; init; }

    /// <summary>Method names to run (null: all).</summary>
    public IReadOnlyList<string>? Methods { get; init; }

    /// <summary>Levain's exploration bias β (null: the tuner's default, docs/tuner.md A7's 1.0).</summary>
    public double? ExplorationBias { get; init; }

    public string PythonPath { get; init; } = Peers.OptunaTpePeer.DefaultPython;

    public string? JsonPath { get; init; }

    /// <summary>Levain's options for this run (null: the defaults); <see cref="ExplorationBias"/> still overrides β.</summary>
    public Levain.Tuning.CarbsOptions? LevainOptions { get; init; }

    /// <summary>Levain's answer is its best model-predicted Pareto point (true, default) or its best observed point.</summary>
    public bool LevainReportsPrediction { get; init; } = true;

    /// <summary>Seeds are FirstSeed … FirstSeed + SeedCount − 1.</summary>
    public int FirstSeed { get; init; }

    public static TunerBenchSettings Full { get; } = new()
    {
        Mode = "full",
        SeedCount = 20,
        BudgetScale = 1.0,
        LatencyObservationCounts = [10, 100, 300, 1000],
        LatencyWarmCalls = 9,
    };

    public static TunerBenchSettings Quick { get; } = new()
    {
        Mode = "quick",
        SeedCount = 8,
        BudgetScale = 1.0,
        LatencyObservationCounts = [10, 100, 300],
        LatencyWarmCalls = 3,
    };
}
