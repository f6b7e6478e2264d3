using System.Text.Json;

namespace Levain.Health.Bundles;

/// <summary>Writes a bundle directory: one file per captured output, and the manifest.</summary>
public static class BundleWriter
{
    public static void Write(Bundle bundle, string directory)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        foreach (var output in bundle.Outputs)
        {
            if (output.Text is not null)
            {
                File.WriteAllText(Path.Combine(directory, output.FileName), output.Text);
            }
        }
        if (bundle.Manifest is not null)
        {
            File.WriteAllText(Path.Combine(directory, BundleFiles.Manifest), JsonSerializer.Serialize(bundle.Manifest, BundleJson.Options));
        }
    }
}
