using System.Text;
using Levain.Evals.Backends;
using Levain.Lm.Checkpoints;
using Levain.Lm.Model;
using Levain.Lm.Tokenization;
using static TorchSharp.torch;

namespace Levain.Lm.Scoring;

/// <summary>
/// The in-process scoring backend over a Levain GPT: per-token log-probabilities of continuations (docs/evals.md's
/// tokenization convention), rolling scores over texts longer than the context, and greedy or sampled generation.
/// Requests are padded into batches of at most <see cref="MaxBatchSize"/> windows; scores do not depend on batching.
/// Calls are serialized (a TorchSharp module is not thread-safe); the work runs synchronously on the caller.
/// </summary>
public sealed partial class CheckpointScorer : ITokenizingBackend, IDisposable
{
    private readonly Gpt _model;
    private readonly ITextTokenizer _tokenizer;
    private readonly bool _ownsModel;
    private readonly Lock _gate = new();
    private int _maxBatchSize = 16;

    private CheckpointScorer(Gpt model, ITextTokenizer tokenizer, string modelId, bool ownsModel)
    {
        if (tokenizer.VocabularySize != model.Config.VocabSize)
        {
            throw new ArgumentException($"tokenizer vocabulary {tokenizer.VocabularySize} != model vocabulary {model.Config.VocabSize}", nameof(tokenizer));
        }
        _model = model;
        _tokenizer = tokenizer;
        ModelId = modelId;
        _ownsModel = ownsModel;
    }

    public string ModelId { get; }

    public string TokenizerId => _tokenizer.Id;

    public GptConfig ModelConfig => _model.Config;

    /// <summary>Windows per forward pass (padding to the longest window of a batch).</summary>
    public int MaxBatchSize
    {
        get => _maxBatchSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxBatchSize = value;
        }
    }

    /// <summary>
    /// Loads a checkpoint directory (<c>model.safetensors</c> + <c>config.json</c>) and sets torch's thread count.
    /// Throws <see cref="FileNotFoundException"/> or <see cref="InvalidDataException"/> (naming the file) for a
    /// missing or malformed checkpoint.
    /// </summary>
    public static CheckpointScorer Load(string checkpointDirectory, int threads = 1, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpointDirectory);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        set_num_threads(threads);
        LoadedCheckpoint loaded = Checkpoint.Load(checkpointDirectory, device);
        var scorer = new CheckpointScorer(loaded.Model, loaded.Tokenizer, $"levain-gpt:{loaded.WeightsHash}", ownsModel: true);
        // Every forward pass is (MaxBatchSize, block size, vocabulary) floats: keep it near 1 GiB for large models (GPT-2: 5 rows).
        long logitsPerRow = (long)loaded.Model.Config.BlockSize * loaded.Model.Config.VocabSize;
        scorer.MaxBatchSize = (int)Math.Clamp((1L << 28) / logitsPerRow, 1, 16);
        return scorer;
    }

    /// <summary>A scorer over a live model (e.g. during training); the caller keeps ownership of the model.</summary>
    public static CheckpointScorer ForModel(Gpt model, ITextTokenizer tokenizer, string modelId)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        return new CheckpointScorer(model, tokenizer, modelId, ownsModel: false);
    }

    public IReadOnlyList<int> Encode(string text) => _tokenizer.Encode(text);

    public string Decode(IReadOnlyList<int> tokenIds) => _tokenizer.Decode(tokenIds);

    public Task<IReadOnlyList<ContinuationScore>> ScoreAsync(IReadOnlyList<ScoreRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var jobs = new List<(IReadOnlyList<int> Sequence, int FirstTarget, int Bytes)>(requests.Count);
        foreach (ScoreRequest request in requests)
        {
            var (context, continuation) = MoveTrailingSpaces(request.Context, request.Continuation);
            IReadOnlyList<int> contextTokens = context.Length == 0 ? [_tokenizer.EndOfTextId] : _tokenizer.Encode(context);
            IReadOnlyList<int> whole = context.Length == 0
                ? [_tokenizer.EndOfTextId, .. _tokenizer.Encode(continuation)]
                : _tokenizer.Encode(context + continuation);
            int firstTarget = Math.Min(contextTokens.Count, whole.Count);
            jobs.Add((whole, Math.Max(1, firstTarget), Encoding.UTF8.GetByteCount(continuation)));
        }
        return Task.FromResult(ScoreJobs(jobs, cancellationToken));
    }

    public Task<IReadOnlyList<ContinuationScore>> ScoreRollingAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var jobs = texts.Select(text => ((IReadOnlyList<int>)[_tokenizer.EndOfTextId, .. _tokenizer.Encode(text)], 1, Encoding.UTF8.GetByteCount(text))).ToList();
        return Task.FromResult(ScoreJobs(jobs, cancellationToken));
    }

    public Task<IReadOnlyList<TokenScore>> ScoreTokensAsync(IReadOnlyList<int> tokenIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenIds);
        foreach (int id in tokenIds)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(id, nameof(tokenIds));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, _model.Config.VocabSize, nameof(tokenIds));
        }
        if (tokenIds.Count < 2)
        {
            return Task.FromResult<IReadOnlyList<TokenScore>>([]);
        }
        var scores = ScoreJobs([(tokenIds, 1, 0)], cancellationToken);
        return Task.FromResult(scores[0].Tokens);
    }

    /// <summary>docs/evals.md: trailing white space of the context belongs to the continuation (lm-eval's <c>rstrip()</c> split).</summary>
    internal static (string Context, string Continuation) MoveTrailingSpaces(string context, string continuation) =>
        TokenizedScoring.MoveTrailingSpaces(context, continuation);

    public void Dispose()
    {
        if (_ownsModel)
        {
            _model.Dispose();
        }
    }
}
