using Levain.Lm.Model;
using Levain.Lm.Tokenization;

namespace Levain.Lm.Checkpoints;

/// <summary>A model and tokenizer read from a checkpoint directory. <see cref="WeightsHash"/> is a prefix of the SHA-256 of the weights file.</summary>
public sealed record LoadedCheckpoint(Gpt Model, ITextTokenizer Tokenizer, CheckpointConfig Config, string WeightsHash) : IDisposable
{
    public void Dispose() => Model.Dispose();
}
