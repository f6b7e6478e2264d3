namespace Levain.Runner.Tune;

/// <summary>
/// Progress lines of one running trial waiting to be stored: bounded (the oldest are dropped past
/// <see cref="Capacity"/>, and counted), taken as one batch per flush so the store sees one write per interval however
/// fast the trial prints. Thread-safe.
/// </summary>
internal sealed class ProgressBuffer
{
    /// <summary>Most lines kept between two flushes.</summary>
    public const int Capacity = 100;

    private readonly object _gate = new();
    private readonly Queue<string> _lines = new();
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _isCompleted;

    public long Dropped { get; private set; }

    public void Add(string json)
    {
        lock (_gate)
        {
            if (_isCompleted) return;
            _lines.Enqueue(json);
            while (_lines.Count > Capacity)
            {
                _lines.Dequeue();
                Dropped++;
            }
        }
        Wake();
    }

    public void Complete()
    {
        lock (_gate) _isCompleted = true;
        _completed.TrySetResult();
        Wake();
    }

    /// <summary>Waits for lines (or completion), then up to <paramref name="interval"/> more to gather a batch.</summary>
    public async Task<(IReadOnlyList<string> Batch, bool IsLast)> NextBatchAsync(TimeSpan interval, TimeProvider time)
    {
        await _signal.WaitAsync().ConfigureAwait(false);
        if (!_completed.Task.IsCompleted)
        {
            await Task.WhenAny(Task.Delay(interval, time, CancellationToken.None), _completed.Task).ConfigureAwait(false);
        }
        lock (_gate)
        {
            var batch = _lines.ToList();
            _lines.Clear();
            return (batch, _isCompleted);
        }
    }

    private void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }
}
