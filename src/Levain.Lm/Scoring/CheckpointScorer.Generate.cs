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
            GenerateCore(prompt, request.MaxTokens, new SamplingOptions(request.Temperature, Seed: request.Seed), generated =>
            {
                text = _tokenizer.Decode(generated);
                return FirstStop(text, request.Stop) >= 0;
            }, cancellationToken, out _);
            int stop = FirstStop(text, request.Stop);
            texts.Add(stop >= 0 ? text[..stop] : text);
        }
        return Task.FromResult<IReadOnlyList<string>>(texts);
    }

    /// <summary>Generates from <paramref name="prompt"/> with top-k / top-p sampling (see <see cref="SamplingOptions"/>).</summary>
    public Generation Generate(string prompt, int maxTokens, SamplingOptions sampling, IReadOnlyList<string>? stop = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return Generate(prompt.Length == 0 ? [_tokenizer.EndOfTextId] : _tokenizer.Encode(prompt), maxTokens, sampling, stop, cancellationToken);
    }

    /// <summary>Generates from prompt token ids (a templated prompt with special tokens, for one) with top-k / top-p sampling.</summary>
    public Generation Generate(IReadOnlyList<int> promptIds, int maxTokens, SamplingOptions sampling, IReadOnlyList<string>? stop = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(promptIds);
        ArgumentNullException.ThrowIfNull(sampling);
        sampling.Validate();
        stop ??= [];
        if (promptIds.Count == 0)
        {
            promptIds = [_tokenizer.EndOfTextId];
        }
        string text = "";
        bool stopped = false;
        IReadOnlyList<int> generated = GenerateCore(promptIds, maxTokens, sampling, tokens =>
        {
            text = _tokenizer.Decode(tokens);
            stopped = FirstStop(text, stop) >= 0;
            return stopped;
        }, cancellationToken, out bool sawEndOfText);
        text = _tokenizer.Decode(generated);
        int at = FirstStop(text, stop);
        string reason = at >= 0 ? "stop" : sawEndOfText ? "eos" : "length";
        return new Generation(at >= 0 ? text[..at] : text, generated, reason);
    }

    public Task<IReadOnlyList<int>> GenerateTokensAsync(IReadOnlyList<int> promptTokenIds, int maxTokens, double temperature, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(promptTokenIds);
        IReadOnlyList<int> prompt = promptTokenIds.Count == 0 ? [_tokenizer.EndOfTextId] : promptTokenIds;
        return Task.FromResult(GenerateCore(prompt, maxTokens, new SamplingOptions(temperature, Seed: seed), _ => false, cancellationToken, out _));
    }

    /// <summary>Greedy at temperature 0, else sampling (see <see cref="SamplingOptions"/>). Stops at end-of-text.</summary>
    private IReadOnlyList<int> GenerateCore(IReadOnlyList<int> prompt, int maxTokens, SamplingOptions sampling,
        Func<IReadOnlyList<int>, bool> shouldStop, CancellationToken cancellationToken, out bool sawEndOfText)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokens);
        sampling.Validate();
        sawEndOfText = false;
        var context = prompt.Select(t => (long)t).ToList();
        var generated = new List<int>();
        using var generator = new Generator((ulong)sampling.Seed);
        lock (_gate)
        {
            bool wasTraining = _model.training;
            _model.eval();
            try
            {
                while (generated.Count < maxTokens)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int next = NextToken(context, sampling, generator);
                    if (next == _tokenizer.EndOfTextId)
                    {
                        sawEndOfText = true;
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

    private int NextToken(List<long> context, SamplingOptions sampling, Generator generator)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int t = Math.Min(context.Count, _model.Config.BlockSize);
        Tensor inputs = tensor(context.GetRange(context.Count - t, t).ToArray(), [1, t], ScalarType.Int64).to(_model.Device); // (1, T)
        Tensor logits = _model.forward(inputs)[0, -1].cpu();                                                                  // (V)
        if (sampling.Temperature == 0)
        {
            return (int)logits.argmax().item<long>();
        }
        Tensor probabilities = (logits / sampling.Temperature).softmax(-1);                                  // (V)
        return (int)multinomial(Truncate(probabilities, sampling.TopK, sampling.TopP), 1, generator: generator).item<long>();
    }

    /// <summary>Zeroes every probability outside the top k and outside the nucleus of mass p (the most likely token always stays).</summary>
    internal static Tensor Truncate(Tensor probabilities, int topK, double topP)
    {
        long v = probabilities.shape[0];
        if ((topK <= 0 || topK >= v) && topP >= 1.0)
        {
            return probabilities;
        }
        var (sorted, order) = probabilities.sort(descending: true);                                         // (V), (V)
        Tensor keep = ones_like(sorted, dtype: ScalarType.Bool);                                              // (V)
        if (topK > 0 && topK < v)
        {
            keep = keep.logical_and(arange(v) < topK);
        }
        if (topP < 1.0)
        {
            Tensor before = sorted.cumsum(0) - sorted;                                                        // mass of the more likely tokens
            keep = keep.logical_and(before < topP);
        }
        Tensor kept = sorted.where(keep, zeros_like(sorted));                                                 // (V), sorted order
        return zeros_like(probabilities).scatter(0, order, kept);                                             // (V), vocabulary order
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
