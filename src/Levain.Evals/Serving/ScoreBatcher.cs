using System.Threading.Channels;
using Levain.Evals.Backends;

namespace Levain.Evals.Serving;

/// <summary>
/// Collects the scoring work of concurrent requests and hands it to the backend together: one worker drains every
/// queued sequence (up to <see cref="MaxBatch"/>) into one <see cref="ITokenizingBackend.ScoreTokensTopAsync"/> call,
/// so requests that arrive while the model is busy share the next forward passes.
/// </summary>
public sealed class ScoreBatcher : IAsyncDisposable
{
    private readonly ITokenizingBackend _backend;
    private readonly Channel<Job> _queue = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _worker;
    private int _batches;
    private int _largestBatch;

    public ScoreBatcher(ITokenizingBackend backend, int maxBatch = 64)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _backend = backend;
        MaxBatch = maxBatch;
        _worker = Task.Run(RunAsync);
    }

    public int MaxBatch { get; }

    /// <summary>Backend calls made so far.</summary>
    public int Batches => _batches;

    /// <summary>The most sequences one backend call has scored.</summary>
    public int LargestBatch => _largestBatch;

    public Task<IReadOnlyList<TokenDistribution>> ScoreAsync(IReadOnlyList<int> tokenIds, int topK, CancellationToken cancellationToken)
    {
        var job = new Job(tokenIds, topK, new TaskCompletionSource<IReadOnlyList<TokenDistribution>>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(job))
        {
            throw new ObjectDisposedException(nameof(ScoreBatcher));
        }
        return job.Result.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var batch = new List<Job>();
            while (batch.Count < MaxBatch && reader.TryRead(out var job))
            {
                batch.Add(job);
            }
            if (batch.Count == 0)
            {
                continue;
            }
            Interlocked.Increment(ref _batches);
            _largestBatch = Math.Max(_largestBatch, batch.Count);
            try
            {
                var topK = batch.Max(j => j.TopK);
                var scored = await _backend.ScoreTokensTopAsync([.. batch.Select(j => j.TokenIds)], topK).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    var k = batch[i].TopK;
                    batch[i].Result.TrySetResult(k == topK ? scored[i] : [.. scored[i].Select(d => d with { Top = [.. d.Top.Take(k)] })]);
                }
            }
            catch (Exception e)
            {
                foreach (var job in batch)
                {
                    job.Result.TrySetException(e);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _worker.ConfigureAwait(false);
    }

    private sealed record Job(IReadOnlyList<int> TokenIds, int TopK, TaskCompletionSource<IReadOnlyList<TokenDistribution>> Result);
}
