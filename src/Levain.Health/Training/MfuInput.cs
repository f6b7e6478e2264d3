namespace Levain.Health.Training;

/// <summary>
/// Model and hardware for MFU: parameter count N, layers L, model width d, sequence length T, peak FLOP/s per GPU
/// (dense, at the training precision) and the GPU count (null = one GPU per rank in the log).
/// </summary>
public sealed record MfuInput(double Parameters, int Layers, int ModelWidth, int SequenceLength, double PeakFlopsPerGpu, int? Gpus);
