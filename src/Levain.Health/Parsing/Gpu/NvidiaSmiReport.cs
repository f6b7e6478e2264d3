namespace Levain.Health.Parsing.Gpu;

/// <summary>The whole <c>nvidia-smi -q -x</c> document.</summary>
public sealed record NvidiaSmiReport(string? DriverVersion, string? CudaVersion, int? AttachedGpus, IReadOnlyList<GpuRecord> Gpus);
