using System.Runtime;

namespace Levain.Lm.Training;

/// <summary>
/// A stretch of code during which the .NET garbage collector does not run (a no-GC region with an 8 MB allocation
/// budget), shared by every thread that enters one. TorchSharp hands libtorch temporary Scalars by raw handle (for
/// example the implicit alpha of <c>a + b</c>); a collection triggered meanwhile by another thread (the batch
/// prefetcher) can finalize one while libtorch reads it — seen in full test runs as a libtorch error "Expected false to
/// be true" from <c>Scalar::toFloat</c> inside <c>addcmul_</c> (TorchSharp's AdamW) and inside <c>add</c> (the
/// model's residual sums). Every training step (forward, backward, optimizer) runs inside this scope. If allocations exceed the budget the runtime ends the region early (no error); nested and
/// concurrent scopes share one region, ended by the last to leave.
/// </summary>
internal sealed class NoCollectionScope : IDisposable
{
    private const long BudgetBytes = 8L * 1024 * 1024;
    private static readonly object Gate = new();
    private static int _holders;
    private static bool _started;
    private bool _disposed;

    public NoCollectionScope()
    {
        lock (Gate)
        {
            if (_holders++ == 0)
            {
                try
                {
                    _started = GC.TryStartNoGCRegion(BudgetBytes);
                }
                catch (InvalidOperationException)
                {
                    _started = false; // a region someone else started is still open: it covers us too
                }
            }
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lock (Gate)
        {
            if (--_holders == 0 && _started)
            {
                _started = false;
                if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
                {
                    try
                    {
                        GC.EndNoGCRegion();
                    }
                    catch (InvalidOperationException)
                    {
                        // The budget was exceeded and the runtime already left the region.
                    }
                }
            }
        }
    }
}
