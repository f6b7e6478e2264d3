namespace Levain.Health.Bundles;

/// <summary>
/// The captured outputs of one node, in memory. Built from a directory (<see cref="BundleReader"/>), from a local
/// collection or from an SSH run; analysis only ever sees this.
/// </summary>
public sealed class Bundle
{
    private readonly Dictionary<string, CapturedOutput> _outputs;

    public Bundle(string host, DateTimeOffset? capturedAt, BundleManifest? manifest, IEnumerable<CapturedOutput> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        Host = host;
        CapturedAt = capturedAt;
        Manifest = manifest;
        _outputs = outputs.ToDictionary(o => o.FileName, StringComparer.Ordinal);
    }

    public string Host { get; }

    /// <summary>When the outputs were taken, if known (manifest, or the caller).</summary>
    public DateTimeOffset? CapturedAt { get; }

    public BundleManifest? Manifest { get; }

    public IEnumerable<CapturedOutput> Outputs => _outputs.Values;

    /// <summary>The output for a documented file name; <see cref="CaptureStatus.Missing"/> when absent.</summary>
    public CapturedOutput Get(string fileName) =>
        _outputs.TryGetValue(fileName, out var output) ? output : new CapturedOutput(fileName, CaptureStatus.Missing, null, "");

    /// <summary>True when a file is present at all (captured or with a recorded failure).</summary>
    public bool Has(string fileName) => _outputs.ContainsKey(fileName);
}
