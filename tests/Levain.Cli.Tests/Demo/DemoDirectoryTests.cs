using System.Security.Cryptography;
using Levain.Cli.Tests.Study;

namespace Levain.Cli.Tests.Demo;

/// <summary>
/// <c>levain demo --dir</c> on a directory Levain did not make (a project with sources and a .git folder) is refused
/// in one line with exit code 64, fresh or --resume, and every file in it is left exactly as it was.
/// </summary>
public sealed class DemoDirectoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("levain-demo-foreign-").FullName;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Demo_NonEmptyForeignDirectory_RefusedAndEveryFileIntact(bool resume)
    {
        var ct = TestContext.Current.CancellationToken;
        Directory.CreateDirectory(Path.Combine(_dir, ".git", "objects"));
        Directory.CreateDirectory(Path.Combine(_dir, "src"));
        Directory.CreateDirectory(Path.Combine(_dir, "logs"));
        await File.WriteAllTextAsync(Path.Combine(_dir, ".git", "HEAD"), "ref: refs/heads/main\n", ct);
        await File.WriteAllBytesAsync(Path.Combine(_dir, ".git", "objects", "pack"), RandomNumberGenerator.GetBytes(4096), ct);
        await File.WriteAllTextAsync(Path.Combine(_dir, "src", "train.py"), "print('hello')\n", ct);
        await File.WriteAllTextAsync(Path.Combine(_dir, "logs", "run.log"), "my own log\n", ct);
        var before = Snapshot(_dir);

        string[] args = resume ? ["demo", "--quick", "--dir", _dir, "--resume"] : ["demo", "--quick", "--dir", _dir];
        using var process = LevainProcess.Start(Path.GetTempPath(), args);
        var exit = await process.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(64, exit);
        var line = Assert.Single(process.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("not a Levain demo directory", line, StringComparison.Ordinal);
        Assert.Contains(_dir, line, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(_dir));
    }

    [Fact]
    public void Prepare_StartOverInAMarkedDirectory_DeletesOnlyWhatADemoRunWrites()
    {
        Assert.Null(Levain.Cli.Demo.DemoDirectory.Prepare(_dir, startOver: true)); // claims the empty directory
        string F(string relative, string text = "x")
        {
            var path = Path.Combine(_dir, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            return path;
        }
        string[] written =
        [
            F("demo.db"), F("final-eval.yaml"), F("demo.yaml"), F("logs/trial-3.attempt-1.log"), F("logs/trial-3.attempt-1.result.json"),
            F("plots/pareto.png"), F("checkpoints/demo-3/model.safetensors"), F("checkpoints/demo-3/config.json"),
            F("checkpoints/demo-3/optimizer.safetensors"), F("checkpoints/demo-3/trainer_state.json"),
            F("checkpoints/demo-4/model.safetensors"), F("checkpoints/demo-4/config.json"),
        ];
        string[] theirs = [F("logs/notes.txt", "mine"), F("checkpoints/demo-3/README.md", "mine"), F("plots/keep/me.png", "mine"), F("my-notes.txt", "mine")];

        Assert.Null(Levain.Cli.Demo.DemoDirectory.Prepare(_dir, startOver: true));

        Assert.All(written, f => Assert.False(File.Exists(f), f));
        Assert.All(theirs, f => Assert.Equal("mine", File.ReadAllText(f)));
        Assert.False(Directory.Exists(Path.Combine(_dir, "checkpoints", "demo-4"))); // emptied, so removed
        Assert.True(File.Exists(Path.Combine(_dir, ".levain-demo")));
    }

    [Fact]
    public void Prepare_StartOverInAnUnmarkedOlderDemoDirectory_RefusedAndNothingDeleted()
    {
        File.WriteAllBytes(Path.Combine(_dir, "demo.db"), [.. "SQLite format 3\0"u8, .. new byte[100]]);
        Directory.CreateDirectory(Path.Combine(_dir, "logs"));
        File.WriteAllText(Path.Combine(_dir, "logs", "trial-1.attempt-1.log"), "old");
        var before = Snapshot(_dir);
        var problem = Levain.Cli.Demo.DemoDirectory.Prepare(_dir, startOver: true);
        Assert.Contains("without the .levain-demo marker", problem, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(_dir));
        Assert.Null(Levain.Cli.Demo.DemoDirectory.Prepare(_dir, startOver: false)); // resuming it is still fine
    }

    /// <summary>Every file and directory under <paramref name="root"/> with the SHA-256 of each file.</summary>
    private static List<string> Snapshot(string root) =>
        [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(p => File.Exists(p) ? $"{p} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p)))}" : p + "/")];

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
