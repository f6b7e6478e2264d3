using Levain.Health.Bundles;

namespace Levain.Health.Collection;

/// <summary>
/// Runs a collection plan on this node and returns the bundle. The kernel log starts first (a wedged GPU must not cost
/// us the evidence), every other command runs in parallel with it (they are independent), and each is bounded by its
/// own timeout plus the runner's kill grace, so the whole collection takes about the longest timeout, not the sum.
/// </summary>
public sealed class NodeCollector(ICommandRunner runner, TimeProvider time)
{
    public async Task<Bundle> CollectAsync(CollectionPlan plan, string host, string? profileName, IProgress<CommandRecord>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var capturedAt = time.GetUtcNow();
        var ordered = plan.Commands.OrderBy(c => c.File == BundleFiles.KernelLog ? 0 : 1).ToList();
        var running = new Dictionary<string, Task<(CapturedOutput Output, CommandRecord Record)>>(StringComparer.Ordinal);
        foreach (var spec in ordered)
        {
            running[spec.File] = RunOneAsync(spec, progress, cancellationToken);
        }
        await Task.WhenAll(running.Values).ConfigureAwait(false);
        var results = plan.Commands.Select(c => running[c.File].Result).ToList();
        var manifest = new BundleManifest(host, capturedAt, profileName, plan.Services, results.Select(r => r.Record).ToList());
        return new Bundle(host, capturedAt, manifest, results.Select(r => r.Output));
    }

    private async Task<(CapturedOutput Output, CommandRecord Record)> RunOneAsync(CommandSpec spec, IProgress<CommandRecord>? progress, CancellationToken cancellationToken)
    {
        var outcome = await runner.RunAsync(spec.Command, spec.Timeout, cancellationToken).ConfigureAwait(false);
        var classified = CaptureClassifier.Classify(spec, outcome);
        progress?.Report(classified.Record);
        return classified;
    }
}
