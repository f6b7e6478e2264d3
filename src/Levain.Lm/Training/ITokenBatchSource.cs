using static TorchSharp.torch;

namespace Levain.Lm.Training;

/// <summary>Supplies training batches: inputs and next-token targets, both int64 (B, T).</summary>
public interface ITokenBatchSource
{
    int BatchSize { get; }

    int SequenceLength { get; }

    /// <summary>The next batch. The tensors belong to the caller's dispose scope.</summary>
    (Tensor Inputs, Tensor Targets) Next();
}
