using Levain.Health.Bundles;

namespace Levain.Health.Collection;

/// <summary>Runs a collection plan on this node and returns the bundle (commands run one after another).</summary>
public sealed class NodeCollector(ICommandRunner runner, TimeProvider time)
{
    public async Task<Bundle> CollectAsync(CollectionPlan plan, string host, string? profileName, IProgress<CommandRecord>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var capturedAt = time.GetUtcNow();
        var outputs = new List<CapturedOutput>();
        var records = new List<CommandRecord>();
        foreach (var spec in plan.Commands)
        {
            var outcome = await runner.RunAsync(spec.Command, spec.Timeout, cancellationToken).ConfigureAwait(false);
            var (output, record) = CaptureClassifier.Classify(spec, outcome);
            outputs.Add(output);
            records.Add(record);
            progress?.Report(record);
        }
        var manifest = new BundleManifest(host, capturedAt, profileName, plan.Services, records);
        return new Bundle(host, capturedAt, manifest, outputs);
    }
}
