using System.Text.RegularExpressions;

namespace Levain.Runner.Launchers;

/// <summary>
/// Gives each concurrent trial slot its own <c>CUDA_VISIBLE_DEVICES</c> slice: slot i gets GPUs
/// [i × perTrial, (i + 1) × perTrial) of the list. The list is the study's <c>gpus</c>, else the driver's own
/// CUDA_VISIBLE_DEVICES, else the GPUs <c>nvidia-smi -L</c> lists.
/// </summary>
public static partial class GpuSlices
{
    /// <summary>One comma-joined slice per slot, or a one-line reason the slots cannot be given their GPUs.</summary>
    public static (IReadOnlyList<string>? Slices, string? Problem) Assign(int perTrial, int slots, IReadOnlyList<string>? gpus)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perTrial, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        var (available, source) = gpus is { Count: > 0 } ? (gpus, "the study's gpus list") : Detect();
        if (available.Count == 0)
        {
            return (null, "gpus_per_trial is set but no GPU was found (no CUDA_VISIBLE_DEVICES, no GPU listed by nvidia-smi); list them with gpus: [0, 1, ...]");
        }
        if (perTrial * slots > available.Count)
        {
            return (null, $"gpus_per_trial {perTrial} × {slots} concurrent trials needs {perTrial * slots} GPUs but {source} has {available.Count} ({string.Join(',', available)}); " +
                "lower workers or gpus_per_trial");
        }
        return ([.. Enumerable.Range(0, slots).Select(i => string.Join(',', available.Skip(i * perTrial).Take(perTrial)))], null);
    }

    private static (IReadOnlyList<string> Gpus, string Source) Detect()
    {
        var visible = Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES");
        if (!string.IsNullOrWhiteSpace(visible))
        {
            return ([.. visible.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)], "CUDA_VISIBLE_DEVICES");
        }
        var listed = CommandRunner.RunAsync("nvidia-smi", ["-L"], null, TimeSpan.FromSeconds(20), CancellationToken.None).GetAwaiter().GetResult();
        if (!listed.Succeeded) return ([], "nvidia-smi");
        return ([.. listed.Stdout.Split('\n').Select(l => GpuLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value)], "nvidia-smi -L");
    }

    /// <summary>"GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-…)".</summary>
    [GeneratedRegex(@"^GPU (\d+):")]
    private static partial Regex GpuLine();
}
