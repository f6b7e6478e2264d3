using System.Runtime.ExceptionServices;
using static TorchSharp.torch;

namespace Levain.Lm.Training;

/// <summary>
/// A fixed set of long-lived threads, each running libtorch with one intra-op thread, that run one piece of work each
/// per call of <see cref="Run"/> and return its number. Used by <see cref="BatchSplit"/> to train slices of a batch side
/// by side: with one torch thread per worker no OpenMP team is formed, so no thread spins or sleeps waiting for the
/// other between the hundreds of small operations of a step.
/// </summary>
internal sealed class SliceWorkers : IDisposable
{
    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _start;
    private readonly CountdownEvent _done;
    private readonly double[] _results;
    private readonly ExceptionDispatchInfo?[] _errors;
    private Func<int, double>? _work;
    private volatile bool _stopping;

    public SliceWorkers(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        int callerThreads = get_num_threads();
        _start = [.. Enumerable.Range(0, count).Select(_ => new SemaphoreSlim(0))];
        _done = new CountdownEvent(count);
        _results = new double[count];
        _errors = new ExceptionDispatchInfo?[count];
        _threads = [.. Enumerable.Range(0, count).Select(i => new Thread(() => Loop(i), maxStackSize: 16 << 20)
        {
            IsBackground = true,
            Name = $"levain-train-{i}",
        })];
        foreach (Thread thread in _threads)
        {
            thread.Start();
        }
        // Returns once every thread has fixed its torch thread count (see Loop). libtorch's set_num_threads also sets
        // the count that threads not yet initialised will take, so the caller's is put back for them.
        Run(_ => 0);
        set_num_threads(callerThreads);
    }

    /// <summary>Runs <paramref name="work"/>(i) on worker i for every worker and returns the results in worker order; rethrows the first worker's exception.</summary>
    public double[] Run(Func<int, double> work)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        _work = work;
        Array.Clear(_errors);
        _done.Reset(_threads.Length);
        foreach (SemaphoreSlim start in _start)
        {
            start.Release();
        }
        _done.Wait();
        foreach (ExceptionDispatchInfo? error in _errors)
        {
            error?.Throw();
        }
        return [.. _results];
    }

    private void Loop(int index)
    {
        // libtorch initialises a thread's OpenMP thread count from the process-wide setting on its first parallel
        // operation; get_num_threads does that initialisation now so the 1 set next is not overwritten later.
        get_num_threads();
        set_num_threads(1);
        while (true)
        {
            _start[index].Wait();
            if (_stopping)
            {
                return;
            }
            try
            {
                _results[index] = _work!(index);
            }
            catch (Exception exception)
            {
                _errors[index] = ExceptionDispatchInfo.Capture(exception);
            }
            finally
            {
                _done.Signal();
            }
        }
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }
        _stopping = true;
        foreach (SemaphoreSlim start in _start)
        {
            start.Release();
        }
        foreach (Thread thread in _threads)
        {
            thread.Join();
        }
        foreach (SemaphoreSlim start in _start)
        {
            start.Dispose();
        }
        _done.Dispose();
    }
}
