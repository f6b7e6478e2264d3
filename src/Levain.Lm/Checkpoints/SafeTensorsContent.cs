using static TorchSharp.torch;

namespace Levain.Lm.Checkpoints;

/// <summary>The tensors of a safetensors file in header order, and its string metadata. The caller owns the tensors.</summary>
public sealed record SafeTensorsContent(IReadOnlyList<KeyValuePair<string, Tensor>> Tensors, IReadOnlyDictionary<string, string> Metadata) : IDisposable
{
    public void Dispose()
    {
        foreach (var (_, tensor) in Tensors)
        {
            tensor.Dispose();
        }
    }
}
