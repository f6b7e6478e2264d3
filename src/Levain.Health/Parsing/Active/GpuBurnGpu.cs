namespace Levain.Health.Parsing.Active;

/// <summary>One GPU in a gpu-burn run.</summary>
public sealed record GpuBurnGpu(int Gpu, bool IsOk, double? Gflops, long? Errors, string Evidence);
