using Levain.Cli.Contract;
using Spectre.Console;

namespace Levain.Cli.Rendering;

/// <summary>
/// Progress of long work (training steps, tokenizer merges, prepared documents). On a terminal: one live Spectre
/// progress bar (description, bar, percentage, time left) that ends at 100 % when disposed. Elsewhere (a pipe, a log,
/// a test): the plain line each report carries, on standard error, exactly as a script or `tune`'s runner reads it.
/// Reports may come from any thread.
/// </summary>
public sealed class WorkProgress : IDisposable
{
    private readonly string _description;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ProgressTask> _task = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task? _render;
    private readonly TextWriter _plain;

    private WorkProgress(string description, double total, CliIo io, bool isLiveAllowed, bool isOwnEta)
    {
        _description = description;
        _plain = io.Error;
        IsLive = io.IsTerminal && isLiveAllowed;
        if (!IsLive) return;
        var console = io.CreateConsole();
        LiveConsole = console;
        _render = console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(isOwnEta
                ? [new TaskDescriptionColumn(), new ProgressBarColumn { Width = 24 }, new PercentageColumn(), new SpinnerColumn()]
                : [new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn()])
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: total > 0 ? total : 1);
                if (total <= 0) task.IsIndeterminate = true;
                _task.SetResult(task);
                await _done.Task.ConfigureAwait(false);
                task.IsIndeterminate = false;
                task.Value = task.MaxValue;
            });
    }

    /// <summary>True when a live bar is drawn (a terminal); false when reports are written as plain lines.</summary>
    public bool IsLive { get; }

    /// <summary>
    /// The console the bar is drawn on, while it is live: lines written through it appear above the bar (another
    /// console writing to the same terminal would tear it). Null when reports are plain lines.
    /// </summary>
    public IAnsiConsole? LiveConsole { get; }

    /// <summary>
    /// Starts progress over <paramref name="total"/> units (0 or less: unknown) for the current invocation; with
    /// <paramref name="isLiveAllowed"/> false (standard output carries JSON) only plain lines are written, even on a terminal.
    /// With <paramref name="isOwnEta"/> the caller's details carry the time left (Spectre's rate-based estimate is left
    /// out, and the bar is narrower to leave room for them).
    /// </summary>
    public static WorkProgress Start(string description, double total, bool isLiveAllowed = true, bool isOwnEta = false) =>
        new(description, total, CliIo.Current, isLiveAllowed, isOwnEta);

    /// <summary>
    /// <paramref name="value"/> units done; <paramref name="detail"/> follows the description on the bar;
    /// <paramref name="plainLine"/> is written as is when there is no bar (null: nothing).
    /// </summary>
    public void Report(double value, string? detail, string? plainLine)
    {
        if (!IsLive)
        {
            if (plainLine is not null) _plain.WriteLine(plainLine);
            return;
        }
        var task = _task.Task.GetAwaiter().GetResult();
        task.Value = Math.Min(value, task.MaxValue);
        task.Description = detail is null ? Markup.Escape(_description) : $"{Markup.Escape(_description)} [grey]{Markup.Escape(detail)}[/]";
    }

    /// <summary>Completes the bar (100 %) and waits until it is drawn.</summary>
    public void Dispose()
    {
        _done.TrySetResult();
        _render?.GetAwaiter().GetResult();
    }
}
