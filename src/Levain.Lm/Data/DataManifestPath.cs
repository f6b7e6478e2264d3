namespace Levain.Lm.Data;

/// <summary>Tells a data manifest (a directory with manifest.json, or a .json file) from a plain text training file.</summary>
public static class DataManifestPath
{
    public static bool IsManifest(string path) =>
        Directory.Exists(path) || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
}
