namespace Levain.Cli.Rendering;

/// <summary>An <see cref="IProgress{T}"/> that renders on the reporting thread, in order, one event at a time.</summary>
internal sealed class SyncProgress<T>(Action<T> render) : IProgress<T>
{
    private readonly object _gate = new();

    public void Report(T value)
    {
        lock (_gate) render(value);
    }
}
