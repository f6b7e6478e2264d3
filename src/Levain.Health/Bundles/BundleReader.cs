using Levain.Core;
using System.Text.Json;

namespace Levain.Health.Bundles;

/// <summary>Reads a bundle directory: documented file names, plus the optional manifest.</summary>
public static class BundleReader
{
    /// <summary>
    /// Reads <paramref name="directory"/>. The host is the manifest's, else the directory name. A manifest entry for a
    /// command that did not produce a file (timed out, not installed) keeps that reason. The capture time is the
    /// manifest's; a bundle without a manifest takes <paramref name="capturedAt"/> (<c>--captured-at</c>), else none
    /// (analysis then judges it as of now).
    /// </summary>
    public static Bundle Read(string directory, DateTimeOffset? capturedAt = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new InputException(directory, 0, "bundle", "no such directory");
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
        return new Bundle(host, manifest?.CapturedAt ?? capturedAt, manifest, outputs);
    }

    /// <summary>
    /// Reads a manifest in either format: snake_case (<c>captured_at</c>, version 2) or the first camelCase one
    /// (<c>capturedAt</c>). <c>host</c> and the capture time are required.
    /// </summary>
    public static BundleManifest? ReadManifest(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        var text = File.ReadAllText(path);
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InputException(path, 1, "manifest", "expected a JSON object");
            }
            var legacy = document.RootElement.TryGetProperty("capturedAt", out _);
            var manifest = JsonSerializer.Deserialize<BundleManifest>(text, legacy ? BundleJson.LegacyOptions : BundleJson.Options)
                ?? throw new InputException(path, 1, "manifest", "empty manifest");
            var timeField = legacy ? "capturedAt" : "captured_at";
            if (!document.RootElement.TryGetProperty(timeField, out _))
            {
                throw new InputException(path, 1, "captured_at", "missing (the time the outputs were taken, ISO 8601 with offset)");
            }
            if (string.IsNullOrWhiteSpace(manifest.Host))
            {
                throw new InputException(path, 1, "host", "missing or empty");
            }
            return manifest with
            {
                Services = manifest.Services ?? [],
                Commands = manifest.Commands ?? [],
                FormatVersion = legacy ? 1 : manifest.FormatVersion,
            };
        }
        catch (JsonException e)
        {
            throw new InputException(path, (int)(e.LineNumber ?? 0) + 1, e.Path ?? "manifest", e.Message);
        }
    }
}
