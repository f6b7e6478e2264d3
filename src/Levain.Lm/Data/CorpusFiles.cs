using Levain.Core;

namespace Levain.Lm.Data;

/// <summary>
/// Expands files and folders (recursively, in ordinal path order; hidden entries skipped) into a list of files, each
/// file once: a file named again, or also inside a folder given, keeps its first place (same full path).
/// </summary>
public static class CorpusFiles
{
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string file)
        {
            if (seen.Add(Path.GetFullPath(file)))
            {
                files.Add(file);
            }
        }
        foreach (string path in paths)
        {
            if (File.Exists(path))
            {
                Add(path);
            }
            else if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System })
                    .Where(f => !Path.GetFileName(f).StartsWith('.'))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (found.Count == 0)
                {
                    throw LmInputError.Data(path, "folder has no files");
                }
                found.ForEach(Add);
            }
            else
            {
                throw LmInputError.Data(path, "not found");
            }
        }
        return files;
    }
}
