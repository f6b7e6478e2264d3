namespace Levain.Evals.Tests.Fakes;

/// <summary>The repository's <c>examples/tasks</c> folder, found upwards from the test binaries (shared with the CLI tests).</summary>
internal static class ExampleTasks
{
    public static string PathOf(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, "examples", "tasks")))
        {
            directory = directory.Parent;
        }
        return Path.Combine(directory!.FullName, "examples", "tasks", name);
    }
}
