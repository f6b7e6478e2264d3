namespace Levain.Health.Parsing.Active;

/// <summary>gpu-burn's verdict per GPU plus the last reported throughput (Gflop/s) and error count per GPU.</summary>
public sealed record GpuBurnResult(IReadOnlyList<GpuBurnGpu> Gpus);
