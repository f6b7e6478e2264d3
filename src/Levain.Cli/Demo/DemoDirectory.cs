namespace Levain.Cli.Demo;

/// <summary>
/// The directory <c>levain demo --out</c> works in. Levain only ever deletes what it created: a new or empty directory
/// is claimed by writing a marker file; a directory with the marker (or, from older versions, the demo's own SQLite
/// database) is a demo directory. Starting over deletes, file by file, only what a demo run writes, and only in a
/// directory with the marker; any other non-empty directory is refused and nothing in it is touched.
/// </summary>
public static partial class DemoDirectory
{
    public const string MarkerName = ".levain-demo";

    /// <summary>Every entry a demo run creates; the only things a fresh start deletes.</summary>
    private static readonly string[] OwnedEntries =
        [MarkerName, "demo.db", "demo.db-wal", "demo.db-shm", "demo.db-journal", "checkpoints", "logs", "plots", "final-eval.yaml", "final-eval", DemoStudy.StudyFileName];

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
        if (startOver && Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
        {
            if (!File.Exists(Path.Combine(full, MarkerName)))
            {
                return $"--out {full} holds an older demo run without the {MarkerName} marker; a fresh run deletes only in marked " +
                    "directories — remove it yourself, or resume it";
            }
            RemovePreviousRun(full);
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

    /// <summary>
    /// Deletes, file by file, only what a demo run writes: its database files, final-eval.yaml and demo.yaml, <c>logs/trial-N[.attempt-M].log</c>
    /// and <c>.result.json</c>, <c>plots/*.png</c>, and the checkpoint files of <c>checkpoints/demo-N</c>; a folder goes only when
    /// that left it empty. Anything else a person put there stays where it is.
    /// </summary>
    private static void RemovePreviousRun(string full)
    {
        foreach (var name in new[] { "demo.db", "demo.db-wal", "demo.db-shm", "demo.db-journal", "final-eval.yaml", DemoStudy.StudyFileName })
        {
            File.Delete(Path.Combine(full, name));
        }
        DeleteFiles(Path.Combine(full, "logs"), name => TrialFile().IsMatch(name));
        DeleteFiles(Path.Combine(full, "plots"), name => name.EndsWith(".png", StringComparison.Ordinal));
        var checkpoints = Path.Combine(full, "checkpoints");
        if (Directory.Exists(checkpoints))
        {
            foreach (var run in Directory.EnumerateDirectories(checkpoints, "demo-*"))
            {
                Levain.Lm.Checkpoints.TrainingCheckpoint.RemoveWritten(run);
            }
        }
        foreach (var folder in new[] { "logs", "plots", "checkpoints", "final-eval" })
        {
            var path = Path.Combine(full, folder);
            if (Directory.Exists(path) && !Directory.EnumerateFileSystemEntries(path).Any()) Directory.Delete(path);
        }
    }

    private static void DeleteFiles(string folder, Func<string, bool> written)
    {
        if (!Directory.Exists(folder)) return;
        foreach (var file in Directory.EnumerateFiles(folder).Where(f => written(Path.GetFileName(f))).ToList())
        {
            File.Delete(file);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^trial-[0-9]+(\.attempt-[0-9]+)?\.(log|result\.json)$")]
    private static partial System.Text.RegularExpressions.Regex TrialFile();

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
