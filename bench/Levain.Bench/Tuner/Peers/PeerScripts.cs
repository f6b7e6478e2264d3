namespace Levain.Bench.Tuner.Peers;

/// <summary>Finds the peer scripts in <c>bench/peers/</c> by walking up from the program's and the working folder.</summary>
public static class PeerScripts
{
    /// <summary>The full path of <c>bench/peers/<paramref name="fileName"/></c>, or null when no ancestor folder has it.</summary>
    public static string? Locate(string fileName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "bench", "peers", fileName);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }
}
