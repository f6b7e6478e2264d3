namespace Levain.Runner.Tests.Support;

/// <summary>A temporary directory deleted at dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Path = Directory.CreateTempSubdirectory("levain-runner-").FullName;

    public string Path { get; }

    public string File(string name, string contents)
    {
        var full = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(full, contents);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
