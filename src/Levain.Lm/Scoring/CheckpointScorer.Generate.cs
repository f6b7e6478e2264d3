using Levain.Evals.Backends;
using static TorchSharp.torch;

namespace Levain.Lm.Scoring;

// Generation: one token at a time over the last block-size tokens (no KV cache; the models here are small).
public sealed partial class CheckpointScorer
{
    public Task<IReadOnlyList<string>> GenerateAsync(IReadOnlyList<GenerateRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var texts = new List<string>(requests.Count);
        foreach (GenerateRequest request in requests)
        {
            IReadOnlyList<int> prompt = request.Prompt.Length == 0 ? [_tokenizer.EndOfTextId] : _tokenizer.Encode(request.Prompt);
            string text = "";
            GenerateCore(prompt, request.MaxTokens, request.Temperature, request.Seed, generated =>
            {
                text = _tokenizer.Decode(generated);
                return FirstStop(text, request.Stop) >= 0;
            }, cancellationToken);
            int stop = FirstStop(text, request.Stop);
            texts.Add(stop >= 0 ? text[..stop] : text);
        }
        return Task.FromResult<IReadOnlyList<string>>(texts);
    }

    public Task<IReadOnlyList<int>> GenerateTokensAsync(IReadOnlyList<int> promptTokenIds, int maxTokens, double temperature, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(promptTokenIds);
        IReadOnlyList<int> prompt = promptTokenIds.Count == 0 ? [_tokenizer.EndOfTextId] : promptTokenIds;
        return Task.FromResult(GenerateCore(prompt, maxTokens, temperature, seed, _ => false, cancellationToken));
    }

    /// <summary>Greedy at temperature 0, else sampling from softmax(logits / temperature) with a generator seeded by <paramref name="seed"/>. Stops at end-of-text.</summary>
    private IReadOnlyList<int> GenerateCore(IReadOnlyList<int> prompt, int maxTokens, double temperature, int seed,
        Func<IReadOnlyList<int>, bool> shouldStop, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(temperature);
        var context = prompt.Select(t => (long)t).ToList();
        var generated = new List<int>();
        using var generator = new Generator((ulong)seed);
        lock (_gate)
        {
            bool wasTraining = _model.training;
            _model.eval();
            try
            {
                while (generated.Count < maxTokens)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int next = NextToken(context, temperature, generator);
                    if (next == _tokenizer.EndOfTextId)
                    {
                        break;
                    }
                    generated.Add(next);
                    context.Add(next);
                    if (shouldStop(generated))
                    {
                        break;
                    }
                }
            }
            finally
            {
                _model.train(wasTraining);
            }
        }
        return generated;
    }

    private int NextToken(List<long> context, double temperature, Generator generator)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int t = Math.Min(context.Count, _model.Config.BlockSize);
        Tensor inputs = tensor(context.GetRange(context.Count - t, t).ToArray(), [1, t], ScalarType.Int64); // (1, T)
        Tensor logits = _model.forward(inputs)[0, -1];                                                      // (V)
        if (temperature == 0)
        {
            return (int)logits.argmax().item<long>();
        }
        Tensor probabilities = (logits / temperature).softmax(-1);                                           // (V)
        return (int)multinomial(probabilities, 1, generator: generator).item<long>();
    }

    private static int FirstStop(string text, IReadOnlyList<string> stops)
    {
        int first = -1;
        foreach (string stop in stops)
        {
            if (stop.Length == 0)
            {
                continue;
            }
            int at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first))
            {
                first = at;
            }
        }
        return first;
    }
}
