namespace Levain.Runner.Definition;

/// <summary>
/// How trials are submitted to Slurm: partition and time limit (sbatch <c>--partition</c>, <c>--time</c>), any
/// extra sbatch arguments (e.g. <c>--gres=gpu:1</c>), and how often job state is polled.
/// </summary>
public sealed record SlurmOptions(string? Partition, string? TimeLimit, IReadOnlyList<string> Args, TimeSpan PollInterval)
{
    public static TimeSpan DefaultPollInterval { get; } = TimeSpan.FromSeconds(5);
}
