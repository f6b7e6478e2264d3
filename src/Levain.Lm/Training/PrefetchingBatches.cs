using System.Collections.Concurrent;
using static TorchSharp.torch;

namespace Levain.Lm.Training;

/// <summary>
/// Prepares the next batches of another source on a background thread while the caller trains on the current one (at
/// most <c>depth</c> ahead). Resumable when the inner source is: the producer records the inner source's state right
/// after each batch, and <see cref="SaveState"/> returns the state after the last batch the caller took — not after the
/// batches still queued — so a checkpoint resumes exactly where training was. Restore before the first
/// <see cref="Next"/>. Dispose stops the producer and frees queued batches.
/// </summary>
public sealed class PrefetchingBatches : IResumableBatchSource, IDisposable
{
    private readonly ITokenBatchSource _inner;
    private readonly int _depth;
    private readonly CancellationTokenSource _stop = new();
    private BlockingCollection<Prepared>? _queue;
    private Task? _producer;
    private string? _stateAfterLastTaken;

    public PrefetchingBatches(ITokenBatchSource inner, int depth)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        _inner = inner;
        _depth = depth;
        _stateAfterLastTaken = (inner as IResumableBatchSource)?.SaveState();
    }

    public int BatchSize => _inner.BatchSize;

    public int SequenceLength => _inner.SequenceLength;

    public bool IsResumable => _inner is IResumableBatchSource;

    public (Tensor Inputs, Tensor Targets) Next()
    {
        if (_queue is null)
        {
            _queue = new BlockingCollection<Prepared>(_depth);
            _producer = Task.Factory.StartNew(Produce, TaskCreationOptions.LongRunning);
        }
        Prepared prepared = _queue.Take();
        if (prepared.Failure is not null)
        {
            throw new InvalidOperationException($"preparing a batch failed: {prepared.Failure.Message}", prepared.Failure);
        }
        _stateAfterLastTaken = prepared.StateAfter;
        // The producer's tensors belong to no dispose scope; a fresh handle on the caller's thread joins the caller's.
        Tensor inputs = prepared.Inputs!.alias();
        Tensor targets = prepared.Targets!.alias();
        prepared.Inputs!.Dispose();
        prepared.Targets!.Dispose();
        return (inputs, targets);
    }

    public string SaveState() =>
        IsResumable ? _stateAfterLastTaken! : throw new InvalidOperationException("the inner batch source is not resumable");

    public void RestoreState(string state)
    {
        if (_queue is not null)
        {
            throw new InvalidOperationException("restore the batch position before the first batch");
        }
        var resumable = _inner as IResumableBatchSource ?? throw new InvalidOperationException("the inner batch source is not resumable");
        resumable.RestoreState(state);
        _stateAfterLastTaken = state;
    }

    private void Produce()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var (inputs, targets) = _inner.Next();
                string? state = (_inner as IResumableBatchSource)?.SaveState();
                try
                {
                    _queue!.Add(new Prepared(inputs, targets, state, null), _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    inputs.Dispose();
                    targets.Dispose();
                    return;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            try
            {
                _queue!.Add(new Prepared(null, null, null, e), _stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Disposed meanwhile: nobody is waiting for the failure.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        if (_producer is not null)
        {
            try
            {
                _producer.Wait();
            }
            catch (AggregateException)
            {
                // The producer reports its failures through the queue.
            }
        }
        if (_queue is not null)
        {
            while (_queue.TryTake(out Prepared? left))
            {
                left.Inputs?.Dispose();
                left.Targets?.Dispose();
            }
            _queue.Dispose();
        }
        _stop.Dispose();
    }

    private sealed record Prepared(Tensor? Inputs, Tensor? Targets, string? StateAfter, Exception? Failure);
}
