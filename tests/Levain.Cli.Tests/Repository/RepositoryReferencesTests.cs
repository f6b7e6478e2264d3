using Levain.TestSupport;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Levain.Cli.Tests.Repository;

/// <summary>
/// A clone of the repository is complete: no tracked file points at a path outside it (a sibling checkout's
/// documents, an absolute path on the machine that wrote it), and the docs the code cites exist in docs/.
/// </summary>
public sealed partial class RepositoryReferencesTests
{
    [Fact]
    public void TrackedFiles_ReferToNoPathOutsideTheRepository()
    {
        var root = RepositoryRoot.Path;
        var problems = new List<string>();
        // A doc another branch is still writing counts once docs/README.md (the index) names it.
        var index = File.Exists(Path.Combine(root, "docs", "README.md")) ? File.ReadAllText(Path.Combine(root, "docs", "README.md")) : "";
        foreach (var relative in TrackedTextFiles(root))
        {
            var path = Path.Combine(root, relative);
            var lines = File.ReadAllLines(path);
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match m in RelativePath().Matches(lines[i]))
                {
                    var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, m.Value));
                    var inside = resolved == root || resolved.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
                    if (!inside) problems.Add($"{relative}:{i + 1}: {m.Value}");
                }
                foreach (Match m in MachinePath().Matches(lines[i])) problems.Add($"{relative}:{i + 1}: {m.Value}");
                foreach (Match m in DocPath().Matches(lines[i]))
                {
                    if (!File.Exists(Path.Combine(root, m.Value)) && !index.Contains("(" + m.Value[5..] + ")", StringComparison.Ordinal)) problems.Add($"{relative}:{i + 1}: {m.Value} does not exist");
                }
            }
        }
        Assert.True(problems.Count == 0, "references outside the repository:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void Checker_FlagsASiblingCheckoutAndAMachinePath()
    {
        Assert.Matches(RelativePath(), "see ../sha" + "red/ARCHITECTURE.md");
        Assert.Matches(MachinePath(), "cat /wo" + "rk/shared/specs/CARBS.md");
        Assert.DoesNotMatch(MachinePath(), "src/Levain.Web/Dashboard");
    }

    // ../x or ../../x as a path (not '...' ellipses).
    [GeneratedRegex(@"(?<![.\w])(?:\.\./)+[\w.-][\w./-]*")]
    private static partial Regex RelativePath();

    // Absolute paths of the machines the project was written on.
    [GeneratedRegex(@"(?<![\w.])/(?:work|home/[\w.-]+|Users/[\w.-]+)/[\w./-]+")]
    private static partial Regex MachinePath();

    // docs/<name>.md cited anywhere must be a file in the repository.
    [GeneratedRegex(@"(?<![\w/.-])docs/[\w-]+\.md")]
    private static partial Regex DocPath();

    private static IEnumerable<string> TrackedTextFiles(string root)
    {
        string[] extensions = [".cs", ".md", ".sh", ".yaml", ".yml", ".py", ".props", ".targets", ".csproj", ".slnx", ".json", ".txt", ".js", ".html", ".css", ""];
        var start = new ProcessStartInfo("git", ["-C", root, "ls-files"]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var git = Process.Start(start)!;
        var files = git.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        git.WaitForExit();
        Assert.Equal(0, git.ExitCode);
        return files.Where(f => extensions.Contains(Path.GetExtension(f)) && File.Exists(Path.Combine(root, f)) && !f.Contains("/Help/", StringComparison.Ordinal));
    }
}
