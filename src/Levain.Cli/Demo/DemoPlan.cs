namespace Levain.Cli.Demo;

/// <summary>
/// The knobs of one <c>levain demo</c> run: where it keeps its study, how many trials and how long, how many trials
/// run at once (each with cores / workers torch threads), the largest trial the tuner may suggest (training FLOPs), the
/// step count the search starts around, and how long one trial may run (early suggestions can overshoot the cap while the cost model knows little).
/// </summary>
internal sealed record DemoPlan(
    string Directory,
    int Trials,
    TimeSpan Wall,
    int Workers,
    int ThreadsPerTrial,
    double MaxTrialFlops,
    int EvalItems,
    int FinalEvalItems,
    int StepsCenter,
    TimeSpan TrialTimeout)
{
    /// <summary>The full demo: at least 30 trials within 10 minutes on 2 cores.</summary>
    public static DemoPlan Full(string directory, int workers) => new(directory, 36, TimeSpan.FromMinutes(9), workers,
        Math.Max(1, Environment.ProcessorCount / workers), 2.5e12, 64, 256, 800, TimeSpan.FromMinutes(3));

    /// <summary>The quick demo: at most 2 minutes.</summary>
    public static DemoPlan Quick(string directory, int workers) => new(directory, 10, TimeSpan.FromSeconds(70), workers,
        Math.Max(1, Environment.ProcessorCount / workers), 3.0e11, 48, 128, 300, TimeSpan.FromSeconds(50));
}
