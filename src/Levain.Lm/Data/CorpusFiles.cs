using Levain.Core;

namespace Levain.Lm.Data;

/// <summary>Expands files and folders (recursively, in ordinal path order; hidden entries skipped) into a list of files.</summary>
public static class CorpusFiles
{
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<string>();
        foreach (string path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
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
                files.AddRange(found);
            }
            else
            {
                throw LmInputError.Data(path, "not found");
            }
        }
        return files;
    }
}
