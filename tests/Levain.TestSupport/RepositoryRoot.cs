namespace Levain.TestSupport;

/// <summary>The checkout the tests run from: the folder holding Levain.slnx above the test binaries.</summary>
public static class RepositoryRoot
{
    public static string Path
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Levain.slnx"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException($"no Levain.slnx above {AppContext.BaseDirectory}");
        }
    }
}
