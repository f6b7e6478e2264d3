namespace Levain.Health.Tests.Support;

/// <summary>Hand-written fixture files, copied next to the test assembly.</summary>
internal static class Fixture
{
    public static string Path(string relative) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

    public static string Text(string relative) => File.ReadAllText(Path(relative));
}
