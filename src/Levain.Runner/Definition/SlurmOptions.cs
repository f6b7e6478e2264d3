namespace Levain.Runner.Definition;

/// <summary>
/// How trials are submitted to Slurm: partition and time limit (sbatch <c>--partition</c>, <c>--time</c>), any
/// extra sbatch arguments (e.g. <c>--gres=gpu:1</c>), how often job state is polled, how long a job's state may stay
/// unknown (squeue and scontrol failing) before Levain cancels it, and how often a refused sbatch is retried.
/// </summary>
public sealed record SlurmOptions(string? Partition, string? TimeLimit, IReadOnlyList<string> Args, TimeSpan PollInterval)
{
    public static TimeSpan DefaultPollInterval { get; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the state may stay unknown before the job is cancelled (default 10 min).</summary>
    public TimeSpan UnknownStatePatience { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Submissions tried before a refused job is given up (default 4: waits of 10 s, 30 s, 90 s between them).</summary>
    public int SubmitAttempts { get; init; } = 4;

    /// <summary>The first wait after a refused sbatch; each later wait is three times longer.</summary>
    public TimeSpan SubmitBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Directory holding sbatch, squeue, scontrol, sacct and scancel (default: found on PATH).</summary>
    public string? BinDirectory { get; init; }
}
