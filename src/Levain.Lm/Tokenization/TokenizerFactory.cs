namespace Levain.Lm.Tokenization;

/// <summary>Rebuilds a tokenizer from the description a checkpoint stores.</summary>
public static class TokenizerFactory
{
    public static ITextTokenizer FromSpec(TokenizerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Kind switch
        {
            "bytes" => ByteTokenizer.Instance,
            "tiktoken" => TiktokenTokenizer.FromSpec(spec),
            Gpt2Tokenizer.Kind => Gpt2Tokenizer.Instance,
            BpeTokenizer.Kind => BpeTokenizer.FromSpec(spec),
            _ => throw new ArgumentException($"unknown tokenizer kind '{spec.Kind}' (known: bytes, tiktoken, gpt2, bpe)", nameof(spec)),
        };
    }
}
