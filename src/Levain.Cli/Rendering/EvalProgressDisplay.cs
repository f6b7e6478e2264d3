using Levain.Evals.Scoring;

namespace Levain.Cli.Rendering;

/// <summary>
/// Progress of <c>levain eval</c>: one bar per task (items whose every request is answered, of the task's items) on a
/// terminal; elsewhere a plain line on stderr every few batches and at the end of each task. Nothing with --json.
/// </summary>
internal sealed class EvalProgressDisplay(bool isQuiet) : IDisposable
{
    private WorkProgress? _bar;
    private string? _task;

    public void Report(EvalProgress p)
    {
        if (isQuiet) return;
        if (_bar is null || !string.Equals(_task, p.Task, StringComparison.Ordinal))
        {
            _bar?.Dispose();
            _bar = WorkProgress.Start($"eval {p.Task}", p.Items);
            _task = p.Task;
        }
        var counts = $"{p.ItemsDone}/{p.Items} items, {p.Done}/{p.Total} requests ({p.FromCache} from cache)";
        var isPlainLineDue = p.Done == p.Total || p.Done == p.FromCache || (p.Done - p.FromCache) % 256 < 16;
        _bar.Report(p.ItemsDone, counts, isPlainLineDue ? $"{p.Task}: {counts}" : null);
    }

    public void Dispose() => _bar?.Dispose();
}
