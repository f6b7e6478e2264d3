using System.Text.Json;

namespace Levain.Health.Bundles;

/// <summary>Reads a bundle directory: documented file names, plus the optional manifest.</summary>
public static class BundleReader
{
    /// <summary>
    /// Reads <paramref name="directory"/>. The host is the manifest's, else the directory name. A manifest entry for a
    /// command that did not produce a file (timed out, not installed) keeps that reason.
    /// </summary>
    public static Bundle Read(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new HealthInputException(directory, 0, "bundle", "no such directory");
        }

        var manifest = ReadManifest(Path.Combine(directory, BundleFiles.Manifest));
        var records = manifest?.Commands.ToDictionary(c => c.File, StringComparer.Ordinal) ?? [];
        var outputs = new List<CapturedOutput>();
        foreach (var name in BundleFiles.CommandOutputs)
        {
            var path = Path.Combine(directory, name);
            records.TryGetValue(name, out var record);
            if (File.Exists(path))
            {
                var status = record?.Status ?? CaptureStatus.Captured;
                outputs.Add(new CapturedOutput(name, status == CaptureStatus.Missing ? CaptureStatus.Captured : status, File.ReadAllText(path), record?.Detail ?? ""));
            }
            else if (record is not null && record.Status != CaptureStatus.Captured)
            {
                outputs.Add(new CapturedOutput(name, record.Status, null, record.Detail));
            }
        }

        var host = manifest?.Host is { Length: > 0 } h ? h : Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
        return new Bundle(host, manifest?.CapturedAt, manifest, outputs);
    }

    private static BundleManifest? ReadManifest(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<BundleManifest>(File.ReadAllText(path), BundleJson.Options)
                ?? throw new HealthInputException(path, 1, "manifest", "empty manifest");
        }
        catch (JsonException e)
        {
            throw new HealthInputException(path, (int)(e.LineNumber ?? 0) + 1, e.Path ?? "manifest", e.Message);
        }
    }
}
