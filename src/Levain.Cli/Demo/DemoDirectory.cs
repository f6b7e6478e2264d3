namespace Levain.Cli.Demo;

/// <summary>
/// The directory <c>levain demo --out</c> works in. Levain only ever deletes what it created: a new or empty directory
/// is claimed by writing a marker file; a directory with the marker (or, from older versions, the demo's own SQLite
/// database) is a demo directory, and starting over there removes only the entries the demo writes. Any other
/// non-empty directory is refused and nothing in it is touched.
/// </summary>
internal static class DemoDirectory
{
    public const string MarkerName = ".levain-demo";

    /// <summary>Every entry a demo run creates; the only things a fresh start deletes.</summary>
    private static readonly string[] OwnedEntries =
        [MarkerName, "demo.db", "demo.db-wal", "demo.db-shm", "demo.db-journal", "checkpoints", "logs", "plots", "final-eval.yaml", "final-eval"];

    /// <summary>
    /// Makes <paramref name="directory"/> ready for a run; returns null, or a one-line reason to refuse it.
    /// <paramref name="startOver"/> removes the previous run's entries (a fresh demo); otherwise they are kept (resume).
    /// </summary>
    public static string? Prepare(string directory, bool startOver)
    {
        var full = Path.GetFullPath(directory);
        if (File.Exists(full)) return $"--out {full} is a file, not a directory";
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !IsDemoDirectory(full))
        {
            return $"--out {full} is not empty and is not a Levain demo directory (it has no {MarkerName} marker); " +
                "nothing was changed — choose a new or empty directory";
        }
        if (startOver)
        {
            foreach (var entry in OwnedEntries.Where(e => e != MarkerName).Select(e => Path.Combine(full, e)))
            {
                if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                else if (File.Exists(entry)) File.Delete(entry);
            }
        }
        Directory.CreateDirectory(full);
        var marker = Path.Combine(full, MarkerName);
        if (!File.Exists(marker))
        {
            File.WriteAllText(marker, "This directory is used by `levain demo`. A fresh demo run deletes only what the demo writes here:\n"
                + string.Join('\n', OwnedEntries) + "\n");
        }
        return null;
    }

    /// <summary>True when the directory carries the marker or the demo's own SQLite database (older demo runs).</summary>
    public static bool IsDemoDirectory(string directory)
    {
        if (File.Exists(Path.Combine(directory, MarkerName))) return true;
        var db = Path.Combine(directory, "demo.db");
        if (!File.Exists(db)) return false;
        Span<byte> header = stackalloc byte[16];
        using var stream = File.OpenRead(db);
        return stream.ReadAtLeast(header, 16, throwOnEndOfStream: false) == 16 && header.SequenceEqual("SQLite format 3\0"u8);
    }
}
